"""``{% sync_badge summary %}``: a campaign's sync badge and pending count, from
``sync.selectors.campaign_sync_summaries`` (one query for a whole list)."""

from django import template

register = template.Library()


@register.inclusion_tag("sync/includes/badge.html")
def sync_badge(summary):
    return {"summary": summary}


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
