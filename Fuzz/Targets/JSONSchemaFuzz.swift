import Impact
import JSONSchema

/// The JSON parser and the JSON Schema validator: the document is parsed, checked against the
/// 2020-12 meta-schema, compiled as a schema when it is one, and used as an instance of itself.
enum JSONSchemaFuzz {
    static let metaSchema: JSONSchema = {
        let meta: JSONValue = ["$ref": "https://json-schema.org/draft/2020-12/schema"]
        guard let schema = try? JSONSchema(compiling: meta) else { fatalError("the 2020-12 meta-schema does not compile") }
        return schema
    }()

    static let formSchema: JSONSchema = {
        guard let schema = try? SchemaSet.embedded().formSchema else { fatalError("the embedded form schema does not load") }
        return schema
    }()

    static func run(_ data: [UInt8]) {
        let parser = JSONParser(limits: JSONParser.Limits(maxDepth: 64, maxDocumentBytes: 1 << 20, maxStringLength: 1 << 16))
        guard let document = try? parser.parse(data) else { return }
        let errors = metaSchema.validate(document.value) + formSchema.validate(document.value)
        guard let schema = try? JSONSchema(compiling: document.value) else { return }
        let valid = schema.isValid(document.value)
        let reported = schema.validate(document.value)
        invariant(valid == reported.isEmpty, "isValid says \(valid) but validate reports \(reported.count) error(s)")
        _ = errors
        // Each error points into the instance.
        for error in reported {
            invariant(
                error.instancePointer.isEmpty || error.instancePointer.hasPrefix("/"),
                "instance pointer \(error.instancePointer.debugDescription) is not a JSON pointer")
        }
    }
}
