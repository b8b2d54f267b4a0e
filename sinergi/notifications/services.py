from .models import Notification


def notification_send(*, recipient, kind, message, link=""):
    """Store an in-app notification. `message` must never contain a survivor's name or contact."""
    return Notification.objects.create(recipient=recipient, kind=kind, message=message[:300], link=link[:200])
