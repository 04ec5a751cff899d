"""Webhooks: endpoints (``endpoints``), events and their deliveries (``events``), sending
one delivery through the sync outbox (``deliver``)."""
