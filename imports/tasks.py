"""Background work of imports: the preview's checks and applying a checked file."""

from django_tasks import task

from imports.services import import_apply_run, import_check_run, import_stopped


@task()
def import_check(import_id: int) -> None:
    """Check every row of an uploaded file (the preview); nothing is written to employees."""
    try:
        import_check_run(import_id=import_id)
    except Exception:
        # The page would otherwise show "Checking the file" for ever; the task list keeps
        # the error and its traceback for owners.
        import_stopped(import_id=import_id)
        raise


@task()
def import_apply(import_id: int) -> None:
    """Import the checked rows, in batches; a run that stopped midway goes on where it left."""
    try:
        import_apply_run(import_id=import_id)
    except Exception:
        import_stopped(import_id=import_id)
        raise
