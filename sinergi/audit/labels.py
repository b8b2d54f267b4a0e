"""Readable labels for the audit trail's event codes that the case timeline does not label itself.

The case record (sinergi.cases.workflow_selectors.EVENT_LABELS) and the contexts above it (through
sinergi.cases.timeline.register_timeline_labels) label the events that change a case; this module
labels the rest: reads, searches, sign-ins, the intake queue, meetings, settings. The audit pages
show the label, with the code beside it for whoever searches by code
(sinergi/workspace/tests/test_event_labels.py checks that every code the code base records has one).
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # Access and sign-in.
    "access.denied": _("Access refused"),
    "request.csrf_failed": _("Expired form refused"),
    "request.rejected": _("Request refused"),
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.login_locked": _("Sign-in refused: account locked"),
    "auth.lockout": _("Account locked after failed sign-ins"),
    "auth.password_reset_email": _("E-mail password reset requested"),
    "auth.mfa_failed": _("Wrong two-step code"),
    "auth.session_expired": _("Session ended"),
    "mfa.activated": _("Two-step sign-in turned on"),
    "mfa.deactivated": _("Two-step sign-in turned off"),
    "mfa.reset": _("Two-step sign-in reset"),
    "mfa.recovery_codes_regenerated": _("New recovery codes made"),
    "audit.search": _("Audit trail searched"),
    "audit.chain_keyed": _("Audit trail keyed from here on (upgrade)"),
    # Users and organisations.
    "user.create": _("User created"),
    "user.update": _("User updated"),
    "user.disable": _("User disabled"),
    "user.enable": _("User enabled"),
    "user.unlock": _("User unlocked"),
    "user.view": _("User opened"),
    "user.password_link": _("Password link sent"),
    "user.reset_request": _("Account reset asked for"),
    "user.reset_approve": _("Account reset approved by a second person"),
    "user.password_set": _("Password set"),
    "organisation.create": _("Organisation created"),
    "organisation.update": _("Organisation updated"),
    "partner.contact_add": _("Partner contact added"),
    "partner.contact_remove": _("Partner contact removed"),
    "partner.pathway": _("Referral pathway changed"),
    # Reading and finding cases.
    "case.view": _("Case opened"),
    "case.list": _("Case list opened"),
    "case.search": _("Cases searched"),
    "case.edit": _("Case edit page opened"),
    "case.import": _("Case imported"),
    "case.review_list": _("Review list opened"),
    "person.view": _("Person opened"),
    "person.adult_review": _("Child client's coming of age reviewed"),
    "person.nik_confirm": _("NIK warning confirmed"),
    "document.view": _("Document opened"),
    "document.download": _("Document downloaded"),
    # Deadlines.
    "deadline.board": _("Deadline board opened"),
    "deadline.view": _("Deadline opened"),
    "deadline.policy": _("Deadline rule changed"),
    "deadline.policy_reset": _("Deadline rule reset"),
    "deadline.retime": _("Deadlines recalculated"),
    "deadline.settings": _("Deadline settings changed"),
    # Referrals and transfers (reads).
    "referral.view": _("Referral opened"),
    "referral.list": _("Referral list opened"),
    "referral.incoming_list": _("Incoming referrals opened"),
    "referral.incoming_view": _("Incoming referral opened"),
    "transfer.list": _("Transfer list opened"),
    "transfer.view": _("Transfer opened"),
    # Shelters.
    "shelter.board": _("Shelter board opened"),
    "shelter.create": _("Shelter created"),
    "shelter.update": _("Shelter updated"),
    "shelter.bed_add": _("Bed added"),
    "shelter.bed_update": _("Bed updated"),
    # Meetings and action items.
    "meeting.schedule": _("Meeting scheduled"),
    "meeting.update": _("Meeting updated"),
    "meeting.view": _("Meeting opened"),
    "meeting.agenda_add": _("Agenda item added"),
    "meeting.attendance": _("Attendance recorded"),
    "meeting.cancel": _("Meeting cancelled"),
    "meeting.decision_add": _("Decision recorded"),
    "meeting.minutes": _("Minutes written"),
    "meeting.pack_download": _("Meeting pack downloaded"),
    "action_item.create": _("Action item created"),
    "action_item.update": _("Action item updated"),
    "action_item.view": _("Action item opened"),
    "action_item.remind_due": _("Action item reminder: due"),
    "action_item.remind_overdue": _("Action item reminder: overdue"),
    # Reports and statistics.
    "report.request": _("Report requested"),
    "report.download": _("Report downloaded"),
    "statistics.release_publish": _("Statistics release published"),
    "report_job.view": _("Report job opened"),
    "simfoni.entry": _("SIMFONI entry recorded"),
    # The public portal and the intake queue.
    "portal.report.submit": _("Public report received"),
    "portal.report.track": _("Report status checked by the reporter"),
    "portal.report.add_information": _("Reporter added information"),
    "portal.report.acknowledge": _("Public report verified"),
    "portal.report.verify": _("Case registered from a public report"),
    "portal.report.merge": _("Public report added to a case"),
    "portal.report.reject": _("Public report declined"),
    "portal.report.take": _("Danger-now report taken"),
    "portal.report.message": _("Message sent to the reporter"),
    "portal.report.sapa_enter": _("SAPA 129 report entered"),
    "portal.evidence.download": _("Report file downloaded"),
    "portal.settings.update": _("Public page settings changed"),
    "portal_report.view": _("Public report opened"),
}
