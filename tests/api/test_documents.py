"""Printed documents (issue 12 §4): a signed decision with its annexed list,
and the certificate of each award, as PDF laid out with Cairo and Pango;
the annexed list also as an Excel workbook.

Each document is read back with pdftotext (Vietnamese with its stacked
diacritics must come back as typed), and the certificate's page is compared,
as an image, with a reviewed reference within a tolerance
(tests/fixtures/certificate_cstdcs.pgm; THIDUA_UPDATE_REFERENCE=1 writes it
again, to be reviewed before it is committed).
"""

import io
import os
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile

from harness import EN, main
from identity import IdentityTest

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures",
                       "certificate_cstdcs.pgm")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def pdf_text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["pdftotext", "-layout", f.name, "-"], check=True,
                             capture_output=True)
        pages = subprocess.run(["pdfinfo", f.name], check=True, capture_output=True)
    count = int([x for x in pages.stdout.decode().splitlines()
                 if x.startswith("Pages:")][0].split()[1])
    return out.stdout.decode(), count


def pdf_flow(data):
    """The text in reading order, every run of white space one space: a
    table cell wrapped on two lines reads whole."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["pdftotext", "-raw", f.name, "-"], check=True,
                             capture_output=True)
    return " ".join(out.stdout.decode().split())


def page_image(data, dpi=40):
    """Page 1 as a grey PGM: (width, height, pixels)."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "doc.pdf")
        with open(path, "wb") as f:
            f.write(data)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1",
                        "-singlefile", path, os.path.join(d, "page")], check=True)
        with open(os.path.join(d, "page.pgm"), "rb") as f:
            return parse_pgm(f.read())


def parse_pgm(raw):
    parts, rest, pos = [], raw, 0
    while len(parts) < 4:
        while rest[pos:pos + 1].isspace():
            pos += 1
        if rest[pos:pos + 1] == b"#":
            pos = rest.index(b"\n", pos) + 1
            continue
        end = pos
        while not rest[end:end + 1].isspace():
            end += 1
        parts.append(rest[pos:end])
        pos = end
    assert parts[0] == b"P5", parts[0]
    w, h = int(parts[1]), int(parts[2])
    return w, h, rest[pos + 1:pos + 1 + w * h]


def pgm_bytes(w, h, pixels):
    return b"P5\n%d %d\n255\n" % (w, h) + pixels


def workbook(data):
    """The shared strings' text and the first sheet's cells as
    {"F8": (value, formula)}: strings resolved, numbers as floats."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        shared = book.read("xl/sharedStrings.xml").decode()
        sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
    strings = ["".join(t.text or "" for t in si.iter(SHEET_NS + "t"))
               for si in ET.fromstring(shared).iter(SHEET_NS + "si")]
    cells = {}
    for c in sheet.iter(SHEET_NS + "c"):
        v, f = c.find(SHEET_NS + "v"), c.find(SHEET_NS + "f")
        if v is None:
            continue
        value = strings[int(v.text)] if c.get("t") == "s" else float(v.text)
        cells[c.get("r")] = (value, f.text if f is not None else None)
    return shared, cells


class DocumentsTest(IdentityTest):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        a = cls.world["A"]
        cls.people = {}
        for name, gender in (("Nguyễn Thị Ánh Tuyết", "female"), ("Lương Văn Dưỡng", "male")):
            cls.people[name] = int(cls.sql(
                "INSERT INTO staff (organization_id, unit_id, full_name, gender, position, "
                f"employment_type, start_date) VALUES ({a.id}, {a.units['C']}, '{name}', "
                f"'{gender}', 'Chuyên viên', 'civil_servant', '2010-01-01') RETURNING id"))

    def as_role(self, role, method, path, body=None, headers=None, org="A"):
        return self.call(method, path, token=self.token(org, role), body=body,
                         headers=dict(EN, **(headers or {})))

    def decision(self, noms, decided_on="2022-12-30", sign=True, year=2022):
        """A decision of organisation A from a session of year whose signed
        minutes approve noms [(award_code, person)] (the ballot is
        test_council's)."""
        a = self.world["A"]
        rid = self.sql(
            "INSERT INTO review_rounds (organization_id, year, kind, name, deadline, dossier_date, "
            f"status) VALUES ({a.id}, {year}, 'annual', 'Bình xét', '{year}-12-15', "
            f"'{year}-12-20', 'submitted') RETURNING id")
        sid = self.sql(
            "INSERT INTO council_sessions (organization_id, name, held_on, status, ballot_secret, "
            f"ballot_key, created_by) VALUES ({a.id}, 'Phiên họp Hội đồng Thi đua – Khen thưởng', "
            f"'{year}-12-22', 'voting', decode(repeat('01', 32), 'hex'), "
            "decode(repeat('02', 32), 'hex'), 'test') RETURNING id")
        tally = []
        for code, person in noms:
            nid = self.sql(
                "INSERT INTO nominations (organization_id, round_id, award_code, subject_kind, "
                f"staff_id, achievement, nominated_by) VALUES ({a.id}, {rid}, '{code}', 'staff', "
                f"{self.people[person]}, 'Đã có thành tích xuất sắc trong phong trào thi đua "
                f"năm {year}', 'test') RETURNING id")
            self.sql("INSERT INTO council_candidates SELECT "
                     f"{a.id}, {sid}, {nid}, (council_rule_for('nd91_2017', '{code}')).id, "
                     "'nd91_2017'")
            tally.append(f'{{"nomination_id": {nid}, "approved": true}}')
        self.sql(f"INSERT INTO council_agenda VALUES ({a.id}, {sid}, {rid}); "
                 "UPDATE council_sessions SET status = 'signed', minutes_hash = "
                 "sha256('m'::bytea), minutes = '{\"tally\": ["
                 + ", ".join(tally) + f"]}}' WHERE id = {sid}")
        r = self.as_role("secretariat", "POST", "/v1/decisions", {
            "session_id": int(sid), "symbol": "QĐ-BQLKKT", "place": "Gia Lai",
            "title": "Về việc tặng danh hiệu thi đua và Giấy khen năm 2022",
            "signer_name": "Dương Quang Tuấn",
            "signer_title": "Trưởng ban Quản lý Khu kinh tế tỉnh"})
        self.assertEqual(r.status, 201, r)
        did = r.json()["id"]
        if sign:
            r = self.as_role("leader", "POST", f"/v1/decisions/{did}/sign",
                             {"decided_on": decided_on}, headers={"If-Match": '"1"'})
            self.assertEqual(r.status, 200, r)
        return did

    def test_a_decision_and_its_certificates_print_and_read_back(self):
        did = self.decision([("chien_si_thi_dua_co_so", "Nguyễn Thị Ánh Tuyết"),
                             ("lao_dong_tien_tien", "Nguyễn Thị Ánh Tuyết"),
                             ("giay_khen", "Lương Văn Dưỡng")])
        r = self.as_role("viewer", "GET", f"/v1/decisions/{did}?format=pdf")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), "application/pdf")
        self.assertTrue(r.body.startswith(b"%PDF-"))
        text, pages = pdf_text(r.body)
        for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "Số: 01/QĐ-BQLKKT", "Gia Lai, ngày 30 tháng 12 năm 2022",
                         "QUYẾT ĐỊNH", "TRƯỞNG BAN QUẢN LÝ KHU KINH TẾ TỈNH",
                         "Căn cứ 91/2017/NĐ-CP;", "Điều 1.", "DANH SÁCH",
                         "Kèm theo Quyết định số 01/QĐ-BQLKKT ngày 30/12/2022",
                         "Nguyễn Thị Ánh Tuyết", "Lương Văn Dưỡng", "Chiến sĩ thi đua cơ sở",
                         "1.490.000", "450.000", "Dương Quang Tuấn"):
            self.assertIn(expected, text)
        self.assertEqual(pages, 2)  # the decision, then its annexed list

        r = self.as_role("secretariat", "GET", f"/v1/decisions/{did}/certificates/1")
        self.assertEqual(r.status, 200, r)
        text, pages = pdf_text(r.body)
        self.assertEqual(pages, 1)
        for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TẶNG DANH HIỆU",
                         "CHIẾN SĨ THI ĐUA CƠ SỞ", "Nguyễn Thị Ánh Tuyết",
                         "Quyết định số 01/QĐ-BQLKKT", "Số sổ vàng: 1",
                         "Gia Lai, ngày 30 tháng 12 năm 2022"):
            self.assertIn(expected, text)
        self.compare_with_reference(r.body)
        text, _ = pdf_text(self.as_role("secretariat", "GET",
                                        f"/v1/decisions/{did}/certificates/3").body)
        self.assertIn("GIẤY KHEN", text)
        self.assertIn("Lương Văn Dưỡng", text)
        self.assertNotIn("TẶNG DANH HIỆU", text)

    def compare_with_reference(self, pdf):
        w, h, pixels = page_image(pdf)
        if os.environ.get("THIDUA_UPDATE_REFERENCE"):
            with open(FIXTURE, "wb") as f:
                f.write(pgm_bytes(w, h, pixels))
        with open(FIXTURE, "rb") as f:
            rw, rh, ref = parse_pgm(f.read())
        self.assertEqual((w, h), (rw, rh))
        diff = [abs(x - y) for x, y in zip(pixels, ref)]
        mean = sum(diff) / len(diff)
        far = sum(1 for x in diff if x > 64) / len(diff)
        self.assertLess(mean, 1.5, f"mean difference {mean:.3f} from the reference")
        self.assertLess(far, 0.005, f"{far:.2%} of the pixels far from the reference")

    def test_the_decision_list_as_a_workbook(self):
        # a year of its own: no award of the other tests is in the ledger
        did = self.decision([("chien_si_thi_dua_co_so", "Nguyễn Thị Ánh Tuyết"),
                             ("lao_dong_tien_tien", "Nguyễn Thị Ánh Tuyết"),
                             ("giay_khen", "Lương Văn Dưỡng")],
                            decided_on="2024-12-27", year=2024)
        doc = self.as_role("viewer", "GET", f"/v1/decisions/{did}").json()
        self.assertEqual(len(doc["items"]), 3)
        self.assertGreater(doc["total_amount"], 0)

        r = self.as_role("viewer", "GET", f"/v1/decisions/{did}?format=xlsx")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Type"), XLSX)
        self.assertEqual(r.header("Content-Disposition"),
                         f'attachment; filename="quyet-dinh-{did}.xlsx"')
        self.assertEqual(r.header("Content-Language"), "en")
        self.assertIsNone(r.header("ETag"))
        shared, cells = workbook(r.body)
        for expected in ("Nguyễn Thị Ánh Tuyết", "Lương Văn Dưỡng", doc["number_text"],
                         "Chiến sĩ thi đua cơ sở", "Dương Quang Tuấn", "Recipient",
                         "Bonus (VND)", "Total"):
            self.assertIn(expected, shared)
        self.assertIn(f"Attached to Decision No. {doc['number_text']} of 27/12/2024",
                      [v for v, _ in cells.values()])

        # column F: a number per award, in the list's order, then their SUM
        # worth the decision's total
        header = next(int(ref[1:]) for ref, (v, _) in cells.items() if v == "Bonus (VND)")
        rows = range(header + 1, header + 1 + len(doc["items"]))
        amounts = [cells[f"F{n}"][0] for n in rows]
        self.assertEqual(amounts, [float(i["amount"]) for i in doc["items"]])
        self.assertEqual(sum(amounts), doc["total_amount"])
        self.assertEqual([cells[f"A{n}"][0] for n in rows],
                         [float(i["position"]) for i in doc["items"]])
        total, formula = cells[f"F{header + 1 + len(doc['items'])}"]
        self.assertEqual((total, formula),
                         (doc["total_amount"], f"SUM(F{rows[0]}:F{rows[-1]})"))

        # in Vietnamese by default
        r = self.as_role("viewer", "GET", f"/v1/decisions/{did}?format=xlsx",
                         headers={"Accept-Language": "vi"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.header("Content-Language"), "vi")
        shared, cells = workbook(r.body)
        for expected in ("DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG", "STT",
                         "Người, tập thể được khen", "Tiền thưởng (đồng)", "Tổng cộng",
                         f"Kèm theo Quyết định số {doc['number_text']} ngày 27/12/2024",
                         "Nguyễn Thị Ánh Tuyết"):
            self.assertIn(expected, shared)

    def test_a_format_the_decision_is_not_given_in(self):
        did = self.decision([("giay_khen", "Lương Văn Dưỡng")], sign=False)
        for fmt in ("docx", "XLSX", "csv", ""):
            with self.subTest(format=fmt):
                r = self.as_role("secretariat", "GET", f"/v1/decisions/{did}?format={fmt}")
                problem = self.assertProblem(r, 400, "bad-request")
                self.assertEqual(problem["errors"],
                                 [{"pointer": "/query/format",
                                   "detail": "must be json, pdf or xlsx"}])
        # a draft has no number yet: its list is not given as a workbook either
        self.assertProblem(self.as_role("secretariat", "GET", f"/v1/decisions/{did}?format=xlsx"),
                           409, "conflict")

    def test_what_cannot_be_printed(self):
        draft = self.decision([("giay_khen", "Lương Văn Dưỡng")], sign=False)
        self.assertProblem(self.as_role("secretariat", "GET",
                                        f"/v1/decisions/{draft}?format=pdf"), 409, "conflict")
        self.assertProblem(self.as_role("secretariat", "GET",
                                        f"/v1/decisions/{draft}/certificates/1"), 409, "conflict")
        did = self.decision([("giay_khen", "Lương Văn Dưỡng")], decided_on="2023-01-05")
        self.assertProblem(self.as_role("secretariat", "GET",
                                        f"/v1/decisions/{did}?format=doc"), 400, "bad-request")
        self.assertProblem(self.as_role("secretariat", "GET",
                                        f"/v1/decisions/{did}/certificates/7"), 404, "not-found")
        self.assertProblem(self.as_role("staff", "GET", f"/v1/decisions/{did}?format=pdf"), 403,
                           "forbidden")
        self.assertProblem(self.as_role("secretariat", "GET",
                                        f"/v1/decisions/{did}/certificates/1", org="B"), 404,
                           "not-found")
        r = self.as_role("leader", "POST", f"/v1/decisions/{did}/revocations",
                         {"position": 1, "revoked_on": "2023-01-10", "reason": "Trùng lặp"})
        self.assertEqual(r.status, 200, r)
        self.assertProblem(self.as_role("secretariat", "GET",
                                        f"/v1/decisions/{did}/certificates/1"), 409, "conflict")


if __name__ == "__main__":
    main()
