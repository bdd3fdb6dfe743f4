"""Printed documents (issue 12 §4): a signed decision with its annexed list,
and the certificate of each award, as PDF laid out with Cairo and Pango.

Each document is read back with pdftotext (Vietnamese with its stacked
diacritics must come back as typed), and the certificate's page is compared,
as an image, with a reviewed reference within a tolerance
(tests/fixtures/certificate_cstdcs.pgm; THIDUA_UPDATE_REFERENCE=1 writes it
again, to be reviewed before it is committed).
"""

import os
import subprocess
import tempfile

from harness import EN, main
from identity import IdentityTest

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures",
                       "certificate_cstdcs.pgm")


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
                 "UPDATE council_sessions SET status = 'signed', minutes = '{\"tally\": ["
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
