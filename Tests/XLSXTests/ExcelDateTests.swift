import Foundation
import Testing

@testable import XLSX

@Suite("Excel dates")
struct ExcelDateTests {
    @Test(
        "Serial numbers in the 1900 date system",
        arguments: [
            (1900, 1, 1, 1), (1900, 2, 28, 59), (1900, 3, 1, 61), (1970, 1, 1, 25_569),
            (2000, 2, 29, 36_585), (2026, 3, 31, 46_112), (2026, 7, 15, 46_218), (9999, 12, 31, 2_958_465),
        ])
    func serial(year: Int, month: Int, day: Int, serial: Int) throws {
        let date = try ExcelDate(year: year, month: month, day: day)
        #expect(date.serial == serial)
        let again = try ExcelDate(daysSince1970: date.daysSince1970)
        #expect(again == date)
        #expect((again.year, again.month, again.day) == (year, month, day))
    }

    @Test(
        "Dates that do not exist or that Excel cannot store are refused",
        arguments: [
            (2026, 2, 29), (2026, 4, 31), (2026, 13, 1), (2026, 0, 10), (1899, 12, 31), (10_000, 1, 1), (2100, 2, 29),
        ])
    func invalid(year: Int, month: Int, day: Int) {
        #expect(throws: XLSXError.self) { try ExcelDate(year: year, month: month, day: day) }
    }

    @Test("A day count is the table-schema representation")
    func dayCount() throws {
        let date = try ExcelDate(daysSince1970: 20_649)
        #expect(date.description == "2026-07-15")
        #expect(throws: XLSXError.self) { try ExcelDate(daysSince1970: -25_568) }
    }

    @Test("A Foundation date gives its UTC calendar day")
    func foundationDate() throws {
        let lateEvening = Date(timeIntervalSince1970: 20_649 * 86_400 + 86_399)
        #expect(try ExcelDate(lateEvening).description == "2026-07-15")
        let beforeEpoch = Date(timeIntervalSince1970: -1)
        #expect(try ExcelDate(beforeEpoch).description == "1969-12-31")
    }
}
