import datetime as dt
from zoneinfo import ZoneInfo

from sinergi.cases.record import case_classify

WIB = ZoneInfo("Asia/Jakarta")
VICTIM_NAME = "Ratna Sulastri Wibowo"  # a test checks it never leaves the case record


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


def classify_tpks(actor, case):
    return case_classify(actor=actor, case=case, version=case.version, tpks_offences=["pelecehan_fisik"])
