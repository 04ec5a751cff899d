from django.db import models


class VendorKind(models.TextChoices):
    ACEFONE = "acefone", "Acefone"
    VOICENTER = "voicenter", "Voicenter"
    WEBITEL = "webitel", "Webitel"
    JTEL = "jtel", "jtel"
    OZONETEL = "ozonetel", "Ozonetel"


class VendorAccount(models.Model):
    """One account on one remote dialer. (Skeleton: the vendors issue completes it.)"""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=VendorKind.choices)
    base_url = models.URLField(max_length=300)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"
