"""Region codes a NIK may carry that the current Kemendagri list no longer has.

A NIK is permanent (UU 24/2013 Adminduk Ps 13): it keeps the province and kab/kota code of the
place of first registration, so a resident registered before a province was split keeps the old
code for life. These are the kab/kota codes retired by the two splits since NIKs were issued:

* **Kalimantan Utara** (65), formed from Kalimantan Timur (64) by UU 20/2012: its five kab/kota
  were numbered 64.xx before.
* **Papua Selatan** (93, UU 14/2022), **Papua Tengah** (94, UU 15/2022), **Papua Pegunungan**
  (95, UU 16/2022) formed from Papua (91), and **Papua Barat Daya** (96, UU 29/2022) formed from
  Papua Barat (92): their kab/kota were numbered 91.xx / 92.xx before.

Source of the old numbers: the Kemendagri kode wilayah list before the splits (Permendagri
137/2017 numbering, as distributed in the public `wilayah` datasets of 2016–2021), whose 91.xx,
92.xx and 64.xx rows are exactly the codes missing from today's list (Kepmendagri
300.2.2-2138/2025, the `lokal` data the Region table is loaded from) plus the codes still in use.
`sinergi/regions/tests/test_historical.py` checks every row against the current data: the old code
is gone, the successor exists and has the same name.

The split moved each kab/kota whole, keeping its kecamatan numbering (93.01.01 Merauke was
91.01.01 Merauke), so a NIK's kecamatan digits under an old code are checked against the
successor's kecamatan.
"""

#: The 38 province codes (Kepmendagri 300.2.2-2138/2025). No province code has been retired since
#: NIKs were introduced (the split-off provinces' parents 64, 91 and 92 still exist).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36",
        "51", "52", "53",
        "61", "62", "63", "64", "65",
        "71", "72", "73", "74", "75", "76",
        "81", "82",
        "91", "92", "93", "94", "95", "96",
    }
)  # fmt: skip

#: Old kab/kota code -> (today's code, name). Only codes that no longer exist are listed.
HISTORICAL_REGENCIES = {
    # Kalimantan Timur -> Kalimantan Utara (UU 20/2012)
    "64.04": ("65.01", "Kabupaten Bulungan"),
    "64.05": ("65.03", "Kabupaten Nunukan"),
    "64.06": ("65.02", "Kabupaten Malinau"),
    "64.10": ("65.04", "Kabupaten Tana Tidung"),
    "64.73": ("65.71", "Kota Tarakan"),
    # Papua -> Papua Selatan (UU 14/2022)
    "91.01": ("93.01", "Kabupaten Merauke"),
    "91.16": ("93.02", "Kabupaten Boven Digoel"),
    "91.17": ("93.03", "Kabupaten Mappi"),
    "91.18": ("93.04", "Kabupaten Asmat"),
    # Papua -> Papua Tengah (UU 15/2022)
    "91.04": ("94.01", "Kabupaten Nabire"),
    "91.07": ("94.02", "Kabupaten Puncak Jaya"),
    "91.08": ("94.03", "Kabupaten Paniai"),
    "91.09": ("94.04", "Kabupaten Mimika"),
    "91.25": ("94.05", "Kabupaten Puncak"),
    "91.26": ("94.06", "Kabupaten Dogiyai"),
    "91.27": ("94.07", "Kabupaten Intan Jaya"),
    "91.28": ("94.08", "Kabupaten Deiyai"),
    # Papua -> Papua Pegunungan (UU 16/2022)
    "91.02": ("95.01", "Kabupaten Jayawijaya"),
    "91.12": ("95.02", "Kabupaten Pegunungan Bintang"),
    "91.13": ("95.03", "Kabupaten Yahukimo"),
    "91.14": ("95.04", "Kabupaten Tolikara"),
    "91.21": ("95.05", "Kabupaten Mamberamo Tengah"),
    "91.22": ("95.06", "Kabupaten Yalimo"),
    "91.23": ("95.07", "Kabupaten Lanny Jaya"),
    "91.24": ("95.08", "Kabupaten Nduga"),
    # Papua Barat -> Papua Barat Daya (UU 29/2022)
    "92.01": ("96.01", "Kabupaten Sorong"),
    "92.04": ("96.02", "Kabupaten Sorong Selatan"),
    "92.05": ("96.03", "Kabupaten Raja Ampat"),
    "92.09": ("96.04", "Kabupaten Tambrauw"),
    "92.10": ("96.05", "Kabupaten Maybrat"),
    "92.71": ("96.71", "Kota Sorong"),
}
