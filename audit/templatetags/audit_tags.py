from urllib.parse import urlencode

from django import template
from django.urls import reverse

from audit.selectors import audit_filters_for, audit_rows_for
from audit.views import VIEW_AUDIT

register = template.Library()


@register.inclusion_tag("audit/includes/object_trail.html", takes_context=True)
def audit_trail(context, instance):
    """The object's newest audit entries, for the users who may read the trail."""
    user = context["request"].user
    if instance is None or not user.has_perm(VIEW_AUDIT):
        return {"hidden": True}
    filters = audit_filters_for(instance)
    query = urlencode({"object_type": filters.content_type_id, "object_id": filters.object_pk})
    return {
        "rows": audit_rows_for(instance=instance),
        "full_url": f"{reverse('audit:list')}?{query}",
        "type_name": instance._meta.verbose_name,
    }
