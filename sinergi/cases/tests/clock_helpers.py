import datetime as dt
from zoneinfo import ZoneInfo

from sinergi.cases.record import case_classify, case_register

WIB = ZoneInfo("Asia/Jakarta")
VICTIM_NAME = "Ratna Sulastri Wibowo"


def wib(*args):
    return dt.datetime(*args, tzinfo=WIB)


def register(actor, **extra):
    fields = {"channel": "datang_langsung", "case_type": "ktp", "risk": "sedang"}
    fields.update(extra)
    victims = fields.pop("victims", [{"name": VICTIM_NAME, "sex": "perempuan", "age_years": 30}])
    return case_register(actor=actor, victims=victims, **fields)


def classify_tpks(actor, case):
    return case_classify(actor=actor, case=case, version=case.version, tpks_offences=["pelecehan_fisik"])
