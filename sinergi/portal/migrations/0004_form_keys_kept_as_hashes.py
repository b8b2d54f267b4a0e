"""Reports stored before the form key was kept as a hash keep it in clear: hash it like
sinergi.portal.services.receipts.form_key_digest, so no stored row holds a form's key."""

import hashlib
import re

from django.db import migrations

_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def hash_form_keys(apps, schema_editor):
    Report = apps.get_model("portal", "Report")
    for pk, key in Report.objects.exclude(idempotency_key=None).values_list("pk", "idempotency_key").iterator():
        if not _DIGEST.match(key):
            digest = hashlib.sha256(f"sinergi.portal.form-key:{key}".encode()).hexdigest()
            Report.objects.filter(pk=pk).update(idempotency_key=digest)


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_report_taken")]

    operations = [migrations.RunPython(hash_form_keys, migrations.RunPython.noop, elidable=True)]
