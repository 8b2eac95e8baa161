"""Static files collect under the production storage, as `make run` and deployments do."""

from django.core.management import call_command

PRODUCTION_STATIC = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_collectstatic_succeeds_with_the_manifest_storage(tmp_path, settings):
    # The manifest storage follows every file a script or stylesheet names (a source map, a
    # font): one missing file stops collectstatic, and `make run` with it.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC}}

    call_command("collectstatic", "--noinput", verbosity=0)

    assert (tmp_path / "staticfiles.json").exists()
    assert (tmp_path / "vendor" / "chartjs" / "chart.umd.min.js.map").exists()
