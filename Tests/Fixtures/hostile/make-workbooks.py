#!/usr/bin/env python3
"""Writes the hostile workbooks P040.xlsx to P046.xlsx (and P043.xls) of this folder, byte for byte the same
each time (fixed zip dates). Run from this folder: python3 make-workbooks.py"""
import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ["partner_id", "quarter", "person_ref", "support_type", "support_status", "start_date", "end_date",
          "ending_type", "sessions_offered", "sessions_attended", "discretionary_spend", "panel_approval_ref"]


def package(sheet_xml, shared=None, stored=False):
    buf = io.BytesIO()
    z = zipfile.ZipFile(buf, "w")

    def add(name, text):
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        z.writestr(info, text)

    add("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    add("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    rels = '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared is not None:
        rels += '<Relationship Id="r2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        add("xl/sharedStrings.xml", shared)
    add("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels + "</Relationships>")
    add("xl/workbook.xml", '<workbook xmlns="%s" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="support" sheetId="1" r:id="r1"/></sheets></workbook>' % MAIN)
    add("xl/worksheets/sheet1.xml", sheet_xml)
    z.close()
    return buf.getvalue()


def inline_row(r, values):
    cells = "".join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i), r, v) for i, v in enumerate(values) if v != "")
    return '<row r="%d">%s</row>' % (r, cells)


def sheet(rows):
    return '<?xml version="1.0"?><worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (MAIN, "".join(rows))


# P040: a billion-laughs entity bomb in the shared strings.
entities = '<!ENTITY a0 "lol">' + "".join('<!ENTITY a%d "%s">' % (i, ("&a%d;" % (i - 1)) * 10) for i in range(1, 10))
shared = '<?xml version="1.0"?><!DOCTYPE sst [%s]><sst xmlns="%s"><si><t>&a9;</t></si></sst>' % (entities, MAIN)
open("P040.xlsx", "wb").write(package(sheet(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>']), shared))
# P041: an external entity naming /etc/passwd in a sheet.
xxe = ('<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet xmlns="%s">'
       '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>' % MAIN)
open("P041.xlsx", "wb").write(package(xxe))
# P042: a CSV file named .xlsx.
open("P042.xlsx", "w").write(",".join(HEADER) + "\nP042,2026-Q2,K7QM-2041,counselling,active,2026-04-01,,,4,3,,\n")
# P043: a legacy (or password-protected) OLE2 file.
open("P043.xls", "wb").write(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504))
# P044: an Excel error and a formula whose result was never saved.
row = inline_row(2, ["P044", "2026-Q2", "K7QM-2041", "counselling", "active", "2026-04-01"]).replace("</row>", "")
row += '<c r="I2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="J2"><f>I2-1</f></c></row>'
open("P044.xlsx", "wb").write(package(sheet([inline_row(1, HEADER), row])))
# P045: a part whose bytes no longer match its CRC-32.
data = bytearray(package(sheet([inline_row(1, HEADER), inline_row(2, ["P045", "2026-Q2", "K7QM-2041", "counselling", "active", "2026-04-01", "", "", "4", "3"])]), stored=True))
data[data.find(b"K7QM-2041")] = ord("X")
open("P045.xlsx", "wb").write(bytes(data))
# P046: sheet rows out of order.
open("P046.xlsx", "wb").write(package(sheet([inline_row(1, HEADER), '<row r="3"/>', '<row r="2"/>'])))
