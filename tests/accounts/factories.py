import factory
from django.contrib.auth.models import Group

from accounts.models import Team, User


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """``UserFactory(role="Team lead", with_team=True)`` makes a team lead with a team."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        with_team = factory.Trait(team=factory.SubFactory(TeamFactory))

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()
