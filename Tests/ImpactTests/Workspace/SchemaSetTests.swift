import Foundation
import TableSchema
import TestSupport
import Testing

@testable import Impact

@Suite struct SchemaSetTests {
    @Test("The embedded schemas are the files in Schemas/ (run scripts/embed-schemas after editing them)")
    func embeddedSchemasAreCurrent() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: TestPaths.repo("Schemas")).filter { $0.hasSuffix(".json") }.sorted()
        #expect(EmbeddedSchemas.files.map(\.name) == names)
        for file in EmbeddedSchemas.files {
            let onDisk = try String(contentsOfFile: TestPaths.repo("Schemas/\(file.name)"), encoding: .utf8)
            #expect(file.json == onDisk.trimmingSuffixNewline(), "Schemas/\(file.name) changed; run scripts/embed-schemas")
        }
    }

    @Test("Every schema in Schemas/ loads, and every field has a title and a description a partner can read")
    func schemasAreDocumented() throws {
        let set = try SchemaSet.load(folder: TestPaths.repo("Schemas"))
        #expect(
            Set(set.schemas.keys)
                == Set(SchemaSet.builtInReturnTables + SchemaSet.referenceTables + SchemaSet.optionalReferenceTables))
        for schema in set.schemas.values {
            for field in schema.fields {
                #expect((field.title ?? "").count > 2, "\(schema.name).\(field.name) has no title")
                #expect((field.description ?? "").count > 10, "\(schema.name).\(field.name) has no description")
            }
        }
    }

    @Test(
        "Tables are recognised from their header rows",
        arguments: [
            (
                "partner_id,quarter,person_ref,support_type,support_status,start_date,end_date,ending_type,sessions_offered,sessions_attended,discretionary_spend,panel_approval_ref",
                "support"
            ),
            (
                "Partner ID,Quarter,Person Ref,Support Type,Support Status,Start Date,End Date,Ending Type,Sessions Offered,Sessions Attended",
                "support"
            ),
            ("partner_id,quarter,person_ref,outcome_id,baseline_score,current_score", "outcomes"),
            ("partner_id,quarter,note_id,theme,outcome_id,note,consent_to_quote", "ripple"),
            ("outcome_id,title,pathway,indicator,target_improved_share", "outcome-goals"),
            ("partner_id,name,region,funder_ids,active_from,active_to", "partners"),
            ("funder_id,name", "funders"),
        ])
    func recognition(header: String, table: String) throws {
        let set = try SchemaSet.embedded()
        #expect(set.recognise(header: header.split(separator: ",").map(String.init)) == .table(table))
    }

    @Test("An unrecognisable header says which tables it was compared with")
    func unrecognisedHeader() throws {
        let folder = TemporaryFolder()
        let path = folder.write("mystery.csv", text: "name,date of birth,postcode\nA,B,C\n")
        let report = ValidationStage(options: ValidationOptions(schemas: try SchemaSet.embedded())).run(paths: [path])
        let finding = try #require(report.files.first?.findings.first)
        #expect(finding.code == .sourceError)
        #expect(finding.message.contains("support (0 of 15 columns)"))
        #expect(finding.message.contains("--kind"))
        #expect(!report.valid)
    }

    @Test("A missing path and an empty file are reported, and the other files still run")
    func unreadableInputs() throws {
        let folder = TemporaryFolder()
        let empty = folder.write("empty.csv", text: "")
        let good = folder.write("funders.csv", text: "funder_id,name\nF01,Trust\n")
        let report = ValidationStage(options: ValidationOptions(schemas: try SchemaSet.embedded())).run(
            paths: [folder.path + "/nope.csv", empty, good])
        #expect(report.files.count == 3)
        #expect(report.files[0].unreadable)
        #expect(report.files[1].findings.first?.message.contains("empty") == true)
        #expect(report.files[2].valid && report.files[2].rows == 1)
        #expect(report.hasUnreadableInput)
    }

    @Test("An invalid schema file is reported with its file and JSON pointer")
    func invalidSchemaFolder() throws {
        let folder = TemporaryFolder()
        folder.write("support.schema.json", text: #"{"name": "support", "fields": [{"name": "a", "type": "integr"}]}"#)
        #expect {
            try SchemaSet.load(folder: folder.path)
        } throws: { error in
            "\(error)".contains("/fields/0/type") && "\(error)".contains("support.schema.json") && "\(error)".contains("integr")
        }
    }
}

extension String {
    func trimmingSuffixNewline() -> String {
        hasSuffix("\n") ? String(dropLast()) : self
    }
}
