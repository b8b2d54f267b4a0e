from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.core.fields import EncryptedTextField
from sinergi.core.ids import new_public_id

from ..choices import DocumentType


class Document(models.Model):
    """Evidence attached to a case. The file is stored encrypted; downloads are audited.

    The bytes live in the default storage under `storage_name`, sealed with AES-GCM under data key
    `key_version` and bound to `public_id` (sinergi.cases.documents). `content_type` is what the
    content was found to be, never what the browser declared; `sha256` is of the plain bytes, so a
    download can prove it returns exactly what was uploaded.
    """

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    original_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=100, unique=True)
    key_version = models.PositiveSmallIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "-uploaded_at"]

    def __str__(self):
        return self.public_id
