import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value


def test_totp_secret_is_stored_encrypted_and_still_works(personas):
    secret = generate_totp_secret()
    totp = TOTP.activate(personas.kepala, secret)
    stored = Authenticator.objects.get(pk=totp.instance.pk).data["secret"]
    assert secret not in stored and "$" in stored
    code = f"{hotp_value(secret, int(time.time()) // 30):06d}"
    assert TOTP(totp.instance).validate_code(code)
