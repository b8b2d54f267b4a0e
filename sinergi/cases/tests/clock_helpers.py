import datetime as dt
from zoneinfo import ZoneInfo

from sinergi.cases.record import case_classify
from sinergi.testing.cases import register_case

WIB = ZoneInfo("Asia/Jakarta")
VICTIM_NAME = "Ratna Sulastri Wibowo"


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


def register(actor, *, victims=None, **extra):
    victims = victims or [{"name": VICTIM_NAME, "sex": "perempuan", "age_years": 30}]
    return register_case(actor, victims=victims, **extra)


def classify_tpks(actor, case):
    return case_classify(actor=actor, case=case, version=case.version, tpks_offences=["pelecehan_fisik"])
