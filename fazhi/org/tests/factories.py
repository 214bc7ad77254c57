import factory

from fazhi.org.masking import id_number_check_code
from fazhi.org.models import Person, Unit, UnitLevel, User, UserRole


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    level = UnitLevel.DEPARTMENT


def _id_number(n: int) -> str:
    first17 = f"41042319900101{n % 1000:03d}"
    return first17 + id_number_check_code(first17)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"张{n}")
    id_number = factory.Sequence(_id_number)
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    unit = factory.SubFactory(UnitFactory)
    role = UserRole.OPERATOR
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()
