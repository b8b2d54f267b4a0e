"""Labels of the referral and transfer events on a case's timeline (registered with
sinergi.cases.timeline by ReferralsConfig.ready)."""

from django.utils.translation import gettext_lazy

EVENT_LABELS = {
    "referral.create": gettext_lazy("Referral drafted"),
    "referral.update": gettext_lazy("Referral draft changed"),
    "referral.send": gettext_lazy("Referral sent"),
    "referral.accept": gettext_lazy("Referral accepted by the agency"),
    "referral.decline": gettext_lazy("Referral declined by the agency"),
    "referral.service": gettext_lazy("Service recorded by the agency"),
    "referral.complete": gettext_lazy("Referral completed by the agency"),
    "referral.revoke": gettext_lazy("Referral revoked"),
    "referral.overdue": gettext_lazy("Referral answer overdue"),
    "referral.incoming": gettext_lazy("Referral back from the agency"),
    "referral.incoming_register": gettext_lazy("Incoming referral taken in"),
    "referral.incoming_decline": gettext_lazy("Incoming referral declined"),
    "document.share_mark": gettext_lazy("Document marked as shareable"),
    "document.share_unmark": gettext_lazy("Document no longer shareable"),
    "transfer.request": gettext_lazy("Transfer to another unit requested"),
    "transfer.accept": gettext_lazy("Transfer accepted by the receiving unit"),
    "transfer.receive": gettext_lazy("Case received from another unit"),
    "transfer.reject": gettext_lazy("Transfer rejected"),
    "transfer.cancel": gettext_lazy("Transfer withdrawn"),
}
