"""factory-boy factories for tests; every value is synthetic (Faker id_ID)."""

import factory

from sinergi.accounts.choices import AgencyType, OrganisationKind, Role, UnitLevel
from sinergi.accounts.models import Organisation, User

factory.Faker._DEFAULT_LOCALE = "id_ID"


class ServiceUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.SERVICE_UNIT
    name = factory.Sequence(lambda n: f"UPTD PPA Uji {n}")
    agency_type = AgencyType.UPTD_PPA
    unit_level = UnitLevel.KAB_KOTA
    region_id = "13.76"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.PARTNER
    name = factory.Sequence(lambda n: f"Mitra Uji {n}")
    agency_type = AgencyType.KEPOLISIAN
    region_id = "13.76"
    services_offered = factory.LazyFunction(lambda: ["penegakan_hukum"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    full_name = factory.Faker("name")
    organisation = factory.SubFactory(ServiceUnitFactory)
    role = Role.PENDAMPING
    password = factory.PostGenerationMethodCall("set_password", "kata-sandi-uji-yang-panjang")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
