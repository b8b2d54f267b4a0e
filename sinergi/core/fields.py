"""Model fields whose values are stored encrypted (see sinergi.core.crypto)."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models

from .crypto import decrypt, encrypt


class EncryptedTextField(models.TextField):
    """Text stored as AES-GCM ciphertext bound to its column; read back as plain text.

    Encrypted columns cannot be filtered or ordered in the database: search through a blind index.
    """

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self._context = f"{cls._meta.label}.{name}"

    def from_db_value(self, value, expression, connection):
        return decrypt(value, context=self._context) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value, context=self._context)


class EncryptedCharField(EncryptedTextField):
    """An encrypted short text with a length limit checked on the plain value (forms, clean())."""

    def __init__(self, *args, max_length=None, **kwargs):
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)
        if max_length:
            self.validators.append(MaxLengthValidator(max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        defaults = {"max_length": self.plain_max_length, "widget": forms.TextInput}
        defaults.update(kwargs)
        return super().formfield(**defaults)
