"""SCIM 2.0 for Microsoft Entra ID: a thin adapter between django-scim2 and Alexis's services.

Alexis keeps django-scim2 for what it does well: the URL names and view classes (each view
subclasses django-scim2's and keeps its dispatch through the AUTH_CHECK_MIDDLEWARE hook), the
adapter interface (SCIMUser, SCIMGroup: to_dict, from_dict, handle_operations, save, delete),
its exceptions, and its constants (content type, message schema URIs).

What we change in django-scim2, and why:
- Attributes: one catalogue (attributes.py) instead of django-scim2's fixed auth.User mapping;
  it drives to_dict/from_dict, PATCH, filters, sorting, errors and /Schemas, and lets custom
  fields add an extension schema at runtime.
- Filters and PATCH paths are parsed by scim2-models and translated into Django Q objects
  (filters.py): django-scim2's parser compiles to raw SQL and drops unknown attributes.
- Writes (views.WriteMixin): each runs in one transaction with the employee's row locked,
  answers 412 when If-Match names another version (ETags, RFC 7644 §3.14), and goes through
  employees.services / teams.services so that every change is validated and recorded.
- Lists (listing.py): paging skips rows on ids alone (no OFFSET over joined rows), a COUNT
  only when the page does not tell the total, members read only when returned.
- Errors (errors.py): every failure is a SCIM error naming the attribute; nothing leaks.
- Discovery (discovery.py): ServiceProviderConfig, ResourceTypes and Schemas state exactly
  what Alexis enforces, read from the catalogue.
- Every request is recorded on the provisioning log (outcome.py), with the attributes that
  were accepted and ignored because Alexis does not keep them.
"""
