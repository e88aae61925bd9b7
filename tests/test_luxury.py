import pandas as pd

from lhkpn_check.luxury import canonical_brand, catalogue, declared_luxury, match_catalogue
from lhkpn_check.settings import Settings


def _name(idx):
    return catalogue()["catatan"].iloc[idx] if idx >= 0 else None


def test_tolerant_spellings_match_the_catalogue():
    texts = pd.Series(["JEEP RUBICON", "WRANGLER RUBICON", "HARLEY DAVIDSON", "Harley-Davidson Fat Boy",
                       "Mercy S 450", "TOYOTA LANDCRUISER", "Range Rover Sport", "rolex daytona"])
    cls = pd.Series(["mobil", "mobil", "motor", "motor", "mobil", "mobil", "", "barang"])
    names = [_name(i) for i in match_catalogue(texts, cls)]
    assert names[0].startswith("Jeep") and names[1].startswith("Jeep")
    assert names[2].startswith("Harley") and names[3].startswith("Harley")
    assert "S-Class" in names[4] and "Land Cruiser" in names[5] and "Range Rover" in names[6]
    assert names[7].startswith("Rolex")
    more = [_name(i) for i in match_catalogue(pd.Series(["MOBIL, MERCEDES BENZ E 300 Tahun 2021", "Mercy C200",
                                                         "MERCEDES-BENZ CLA 200", "MOBIL, BMW 320I Tahun 2020",
                                                         "BMW 520 D", "BMW 2020"]), pd.Series(["mobil"] * 6))]
    assert "E-Class" in more[0] and "C-Class" in more[1] and more[2] is None
    assert "3 Series" in more[3] and "5 Series" in more[4] and more[5] is None


def test_ordinary_vehicles_and_small_bikes_do_not_match():
    texts = pd.Series(["TOYOTA AVANZA", "HONDA BEAT", "KAWASAKI NINJA 250", "HONDA CIVIC", "TOYOTA FORTUNER"])
    cls = pd.Series(["mobil", "motor", "motor", "mobil", "mobil"])
    assert (match_catalogue(texts, cls) == -1).all()


def test_class_must_agree():
    assert match_catalogue(pd.Series(["BMW R 1250 GS"]), pd.Series(["mobil"])).iloc[0] == -1


def test_brand_aliases():
    got = canonical_brand(pd.Series(["Mercedes Benz", "MERCEDES-BENZ", "Harley Davidson", "NISAN", "Land Rover"]))
    assert got.tolist() == ["MERCEDES-BENZ", "MERCEDES-BENZ", "HARLEY-DAVIDSON", "NISSAN", "LAND ROVER"]


def test_declared_luxury_reads_uraian_and_depreciates():
    harta = pd.DataFrame({"id_pn": ["A", "A"], "tahun_lapor": [2023, 2023],
                          "kategori": ["alat_transportasi", "alat_transportasi"],
                          "uraian": ["MOBIL, TOYOTA ALPHARD Tahun 2021, HASIL SENDIRI",
                                     "MOTOR, HONDA VARIO Tahun 2020, HASIL SENDIRI"],
                          "nilai_pelaporan": [900e6, 15e6], "_row": [2, 3], "_sheet": ["harta"] * 2})
    lux = declared_luxury(harta, Settings())
    assert len(lux) == 1 and lux["build_year"].iloc[0] == 2021
    assert lux["catalogue_value"].iloc[0] == round(1400e6 * 0.88 ** 2, -5)


def test_observation_matches_a_model_typed_another_way():
    from lhkpn_check.luxury import match_temuan

    pairs = [("Innova", "MOBIL, TOYOTA KIJANG INOVA Tahun 2016, HASIL SENDIRI"),
             ("XL7", "MOBIL, SUZUKI XL 7 Tahun 2019, HASIL SENDIRI"),
             ("Avanza", "MOBIL, TOYOTA AVANSA Tahun 2018, HASIL SENDIRI"),
             ("NMax", "MOTOR, YAMAHA N-MAX Tahun 2020, HASIL SENDIRI"),
             ("Fat Boy", "MOTOR, HARLEY DAVIDSON FATBOY Tahun 2021, HASIL SENDIRI"),
             ("X7", "MOBIL, BMW X5 Tahun 2021, HASIL SENDIRI"),
             ("CX30", "MOBIL, MAZDA CX3 Tahun 2021, HASIL SENDIRI"),
             ("Vellfire", "MOBIL, TOYOTA ALPHARD Tahun 2021, HASIL SENDIRI")]
    merek = ["Toyota", "Suzuki", "Toyota", "Yamaha", "Harley Davidson", "BMW", "Mazda", "Toyota"]
    jenis = ["mobil", "mobil", "mobil", "motor", "motor", "mobil", "mobil", "mobil"]
    ids = [str(i) for i in range(len(pairs))]
    temuan = pd.DataFrame({"id_pn": ids, "tanggal": pd.to_datetime(["2023-05-01"] * len(ids)), "jenis": jenis,
                           "merek": merek, "model": [p[0] for p in pairs], "uraian": None, "perkiraan_nilai": None,
                           "_row": range(2, len(ids) + 2)})
    temuan["tahun"] = 2023
    kategori = ["alat_transportasi"] * len(ids)
    harta = pd.DataFrame({"id_pn": ids, "tahun_lapor": 2023, "kategori": kategori, "uraian": [p[1] for p in pairs],
                          "nilai_pelaporan": 100e6, "_row": range(2, len(ids) + 2)})
    laporan = pd.DataFrame({"id_pn": ids, "tahun_lapor": 2023})
    got = match_temuan(temuan, harta, laporan, Settings())["matched"].tolist()
    assert got == [True, True, True, True, True, False, False, False]


def test_texts_passed_over_by_the_prefilter_match_no_catalogue_row(monkeypatch):
    """match_catalogue looks only at texts holding a catalogue brand or model: every catalogue row's own
    words, tolerant spellings and ordinary vehicles must get what the loop over all texts gives them."""
    import numpy as np

    from lhkpn_check import luxury

    cat = catalogue()
    texts = [*cat["merek"], *(f"{m} {p}" for m, p in zip(cat["merek"], cat["model_pattern"])),
             *(a.replace("|", " ") for a in cat["merek_alias"]), *cat["catatan"].str.split(";").str[0],
             "JEEP RUBICON", "Mercy S 450", "rolex daytona", "TOYOTA AVANZA", "HONDA BEAT", "", "lv", "BMW 320I",
             "RUBICON", "LC 300 HITAM", "VELL FIRE", "ALPHARD G", "RANGE ROVER EVOQUE", "DEFENDER 110"]  # no brand
    texts = pd.Series(texts * 2, dtype=object)
    cls = pd.Series((["", "mobil", "motor", "barang", "lain"] * len(texts))[:len(texts)])
    fast = match_catalogue(texts, cls)
    assert (fast >= 0).sum() > len(cat)
    monkeypatch.setattr(luxury, "_could_match", lambda t: np.ones(len(t), dtype=bool))
    pd.testing.assert_series_equal(fast, match_catalogue(texts, cls))
