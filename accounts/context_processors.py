"""Template context: the signed-in user's roles, for the navigation."""

from accounts.roles import is_hr_admin, is_owner


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_owner": False, "is_hr_admin": False}
    return {"is_owner": is_owner(user), "is_hr_admin": is_hr_admin(user)}
