import datetime as dt
from zoneinfo import ZoneInfo

from sinergi.testing.cases import classify

WIB = ZoneInfo("Asia/Jakarta")
# Tests check no part of it leaves the case record; so no part is a name Faker (id_ID) may give
# a persona, who does appear on the pages (Ratna and Wibowo are on its lists).
VICTIM_NAME = "Sekarwangi Tirtaningsih Kinanthi"


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


def classify_tpks(actor, case):
    return classify(actor=actor, case=case, version=case.version, tpks_offences=["pelecehan_fisik"])
