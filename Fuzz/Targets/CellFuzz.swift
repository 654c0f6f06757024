import Foundation
import TableSchema

/// The cell parsers over any bytes, for every type and a spread of formats.
enum CellFuzz {
    /// One field of each type and format the parsers know.
    static let schema: Schema = {
        let descriptor = """
            {"name": "cells", "fields": [
              {"name": "integer", "type": "integer"},
              {"name": "integer_grouped", "type": "integer", "bareNumber": false, "groupChar": ","},
              {"name": "number", "type": "number"},
              {"name": "money", "type": "number", "bareNumber": false, "groupChar": ","},
              {"name": "euro", "type": "number", "decimalChar": ",", "groupChar": "."},
              {"name": "boolean", "type": "boolean"},
              {"name": "yes_no", "type": "boolean", "trueValues": ["yes", "Y"], "falseValues": ["no", "N"]},
              {"name": "date", "type": "date"},
              {"name": "uk_date", "type": "date", "format": "%d/%m/%Y"},
              {"name": "any_date", "type": "date", "format": "any"},
              {"name": "formats", "type": "date", "formats": ["%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d.%m.%y"]},
              {"name": "datetime", "type": "datetime"},
              {"name": "year", "type": "year"},
              {"name": "list", "type": "list", "itemType": "integer"},
              {"name": "email", "type": "string", "format": "email"},
              {"name": "uri", "type": "string", "format": "uri"},
              {"name": "uuid", "type": "string", "format": "uuid"},
              {"name": "ref", "type": "string", "constraints": {"pattern": "[A-Za-z0-9][A-Za-z0-9-]{3,19}", "maxLength": 20}},
              {"name": "bounded", "type": "number", "constraints": {"minimum": 0, "maximum": 100000}},
              {"name": "dated", "type": "date", "constraints": {"minimum": "2000-01-01", "maximum": "2100-12-31"}}
            ]}
            """
        do {
            return try Schema(json: Data(descriptor.utf8), source: "fuzz")
        } catch {
            fatalError("the fuzz schema does not load: \(error)")
        }
    }()

    static func run(_ data: [UInt8]) {
        let cell = data[...]
        for field in schema.fields {
            let outcome = CellParser.parse(cell, as: field)
            // A value read as a plain integer, number or ISO date reads back the same from its canonical text.
            guard case .value(let value) = outcome else { continue }
            switch field.name {
            case "integer", "number", "date":
                let again = CellParser.parse(Array(value.canonicalText.utf8)[...], as: field)
                invariant(
                    again == .value(value),
                    "\(field.name): \(String(decoding: data, as: UTF8.self).debugDescription) read as \(value), whose text \(value.canonicalText.debugDescription) reads as \(again)"
                )
            default:
                break
            }
            _ = CellParser.trim(cell)
        }
    }
}
