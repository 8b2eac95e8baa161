"""Receivers for Django's sign-in signals, connected in SsoConfig.ready()."""

from sso.services import user_session_forget, user_session_record


def session_remember(sender, request, user, **kwargs) -> None:
    """Remember the session a user just signed in with."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    user_session_record(user=user, session_key=session.session_key)


def session_forget(sender, request, user, **kwargs) -> None:
    """Forget a session when its user signs out."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        user_session_forget(session_key=session.session_key)
