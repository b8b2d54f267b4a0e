from django.conf import settings


def sinergi(request):
    return {
        "SITE_NAME": settings.SINERGI_SITE_NAME,
        "DEMO_MODE": settings.DEMO,
    }
