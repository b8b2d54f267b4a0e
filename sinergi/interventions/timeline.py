"""Labels of the rights and court-monitoring events on a case's timeline (registered with
sinergi.cases.timeline by InterventionsConfig.ready; the older service events are labelled by
sinergi.cases.workflow_selectors)."""

from django.utils.translation import gettext_lazy

EVENT_LABELS = {
    "rights.record": gettext_lazy("Rights explained to the victim"),
    "court_monitoring.record": gettext_lazy("Victim's rights at a legal stage recorded"),
    "court_concern.resolve": gettext_lazy("Concern about a legal stage resolved"),
}
