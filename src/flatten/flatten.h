#pragma once
// OpenAPI 3.0 / 3.1 (and Swagger 2.0) operations -> flat MCP tools, and flat tool arguments ->
// HTTP requests (and back). Sans-I/O: JSON values in, JSON values and request
// descriptions out; no network, clock or randomness.
//
// The flat shape is the one Duvo's MCP server uses (shared/DUVO.md): path,
// query, header and cookie parameters and the request body's top-level fields
// merged into one object. A Binding records, for every flat key, the one
// place of the HTTP request it goes to, so the mapping is reversible.
//
// Rules (each has its own tests in tests/flatten/):
//  - parameters: path-level + operation-level, the operation's wins for the
//    same (in, name) (OpenAPI 3.1 §4.8.10.1 "parameters"); path parameters are
//    always required (§4.8.12.1); Accept, Content-Type and Authorization
//    header parameters are ignored (§4.8.12.1: the transport and auth own
//    them); cookie parameters are kept.
//  - request body media type, in order of preference: application/json,
//    any */*+json, application/x-www-form-urlencoded, multipart/form-data,
//    text/*, application/octet-stream (then the first listed, as bytes).
//  - the body is spread into top-level keys only when its schema is an object
//    with no root union (after a discriminated union has been merged into one
//    object); otherwise it is one key, `body`. readOnly properties are left out
//    of request schemas, writeOnly ones out of output schemas.
//  - collisions: when two places want the same flat key, the first in the
//    order path, query, header, cookie, body keeps the name and every other
//    takes the suffix `_<location>` (`id_query`, `id_body`); a suffixed name
//    that is taken again gets `_2`, `_3`... Deterministic, never a drop, and
//    reversible because the binding names the place of every key.
//  - schemas: local `$ref`s are inlined; a cyclic `$ref` is kept as
//    `{"$ref": "#/$defs/<Name>"}` with the target under the tool schema's
//    `$defs`; `allOf` is merged; OpenAPI 3.0 `nullable` becomes a type array
//    (or `anyOf` with `{"type": "null"}`) and boolean exclusiveMinimum /
//    exclusiveMaximum become 2020-12 numbers.
//  - nulls in arguments: sent as JSON `null` where the body field allows null
//    (Duvo: `parent_folder_id: null` = move to the root), otherwise treated as
//    if the key were absent.
//  - "/" in a path parameter stays unescaped only when the parameter says
//    `allowReserved: true` (all RFC 3986 reserved characters but "?" and "#")
//    or `x-mcpw-allow-slash: true` (only "/"), e.g. Duvo's file paths.
//  - output schema: the first 2xx response (in code order, then 2XX) with a
//    JSON media type. MCP structured content is an object, so a non-object
//    response schema is wrapped as {"result": <schema>} and the binding says
//    so (Binding::output_wrapped).
//  - path parameters follow the path template: a template variable with no
//    parameter becomes a required string, a path parameter the template does
//    not name is dropped (it could never be sent).
//  - Binding::server: servers[0] of the operation, else the path item, else
//    the document, with server variables at their defaults; request targets
//    are relative to it.
//  - tool names: operationId, else "<method>_<path>", through
//    sanitize_tool_name; a name taken earlier in the document gets "_2"...
//    (diagnostic flatten.duplicate_name). Description: `description`, else
//    `summary`; title: `summary` when it is not already the description.
//
// Wire choices where OpenAPI leaves room (build_request / parse_request):
//  - an empty array or object parameter is not sent (RFC 6570 §2.3);
//  - array items and object members that are themselves arrays or objects
//    travel as JSON text (parameters, form fields); in multipart, an object
//    or array-of-objects part is JSON with Content-Type application/json;
//  - header values: "%", ",", control and non-ASCII bytes and edge spaces
//    are percent-encoded; everything else is sent as is;
//  - argument text is raw: "%" is always encoded, also under allowReserved;
//  - a multipart file is {data (base64), mimeType?, filename?}; mimeType
//    defaults to application/octet-stream, filename to the field name; a
//    mimeType with control bytes is rejected (no header injection); the
//    boundary is derived from the content and never occurs inside a part;
//  - an optional body with no field given is not sent; a required one is
//    sent as {} when empty;
//  - known ambiguities of the styles themselves (the round-trip tests avoid
//    drawing them): label style items containing ".", spaceDelimited items
//    containing " ", allowReserved lists containing ",", and an exploded
//    form object beside a parameter of the same name as one of its members.
//
// Errors (stable ids):
//  - flatten.not_openapi (local): the document is not an OpenAPI 3.x or
//    Swagger 2.0 object.
//  - flatten.too_large (remote): the document exceeds FlattenLimits (nesting
//    depth, number of operations; its size in bytes is parse_json's limit).
//  - flatten.bad_ref (remote): a `$ref` that does not resolve inside the
//    document, or a `$ref` chain longer than the limit (per operation: the
//    operation is left out with a Diagnostic, the others still flatten).
//  - flatten.schema_too_large (remote): inlining a schema exceeded the node
//    budget or depth (per operation, as above).
//  - flatten.unknown_argument (local): a flat key the tool does not have; the
//    message names the closest known key ("did you mean").
//  - flatten.missing_argument (local): a required key is absent (or null).
//  - flatten.bad_argument (local): a value that cannot be encoded where it
//    goes (arguments not an object, a deepObject parameter that is not an
//    object, invalid base64 for a file or binary body, a file mimeType with
//    control bytes, a text body that is not a string).
//  - flatten.unsupported_body (remote): a form or multipart request body whose
//    schema is not an object with properties (per operation, as above).
//  - flatten.unsupported_parameter (remote): a Swagger 2.0 parameter with no
//    OpenAPI 3 equivalent (collectionFormat tsv, or ssv/pipes/multi in a path
//    or header; per operation, as above).
//  - flatten.bad_binding (local): parse_binding_json got malformed JSON.
//  - flatten.adapt_unsupported (remote): a tool schema a provider adapter
//    cannot express (e.g. a recursive schema for gemini, a root union).
//  - flatten.bad_request (remote): parse_request got a request that does not
//    match the binding (wrong method, path, undecodable value), or whose path
//    reads more than one way ("ambiguous path": "/d/{a}-{b}" with "/d/x-y-z";
//    "ambiguous path template": "{a}{b}").
// Diagnostic ids (an operation changed, not left out):
//  - flatten.duplicate_name: the tool name was taken; a number was added.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/json.h"
#include "support/result.h"

namespace mcpw::flatten {

inline constexpr ErrorId NOT_OPENAPI{"flatten.not_openapi", ErrorKind::local};
inline constexpr ErrorId TOO_LARGE{"flatten.too_large", ErrorKind::remote};
inline constexpr ErrorId BAD_REF{"flatten.bad_ref", ErrorKind::remote};
inline constexpr ErrorId SCHEMA_TOO_LARGE{"flatten.schema_too_large", ErrorKind::remote};
inline constexpr ErrorId UNKNOWN_ARGUMENT{"flatten.unknown_argument", ErrorKind::local};
inline constexpr ErrorId MISSING_ARGUMENT{"flatten.missing_argument", ErrorKind::local};
inline constexpr ErrorId BAD_ARGUMENT{"flatten.bad_argument", ErrorKind::local};
inline constexpr ErrorId BAD_REQUEST{"flatten.bad_request", ErrorKind::remote};
inline constexpr ErrorId UNSUPPORTED_BODY{"flatten.unsupported_body", ErrorKind::remote};
inline constexpr ErrorId UNSUPPORTED_PARAMETER{"flatten.unsupported_parameter", ErrorKind::remote};

/// Where a flat key goes in the HTTP request (OpenAPI 3.1 §4.8.12 "in", plus
/// the request body: one field of it, or all of it).
enum class Location : unsigned char { path, query, header, cookie, body_field, body };

/// Serialisation style of a parameter (OpenAPI 3.1 §4.8.12.4 "Style Values").
enum class Style : unsigned char { simple, label, matrix, form, space_delimited, pipe_delimited, deep_object };

/// How the request body is encoded (the chosen media type's family).
enum class BodyEncoding : unsigned char { none, json, form, multipart, text, binary };

/// One flat key and the place it goes to.
struct KeyBinding {
  std::string flat_key;   ///< key in the flat arguments / inputSchema
  Location location = Location::query;
  std::string name;       ///< wire name: parameter name or body property name
  Style style = Style::form;
  bool explode = true;
  bool allow_reserved = false;  ///< RFC 6570 "+" expansion (reserved kept)
  bool allow_slash = false;     ///< only "/" kept (x-mcpw-allow-slash)
  bool content_json = false;    ///< parameter defined with `content`: JSON text
  bool required = false;
  bool nullable = false;        ///< null is a value to send (JSON bodies only)
  bool is_file = false;         ///< multipart part {data, mimeType, filename}
  json schema;                  ///< the flat (resolved) schema of this key
};

/// Everything needed to turn flat arguments into a request and back.
struct Binding {
  std::string method;         ///< upper case, e.g. "POST"
  std::string path_template;  ///< e.g. "/v1/runs/{run_id}"
  std::string server;         ///< base URL: operation, path or document servers[0] ("" if none)
  std::vector<KeyBinding> keys;
  BodyEncoding body = BodyEncoding::none;
  std::string media_type;     ///< chosen request media type ("" when none)
  bool body_required = false;
  bool body_spread = false;   ///< true: body fields are top-level keys
  /// Flat keys not listed go into the spread body (explicit
  /// additionalProperties in the body schema); else they are rejected.
  bool body_additional = false;
  bool output_wrapped = false;  ///< output schema wraps a non-object in "result"
  json defs;                    ///< the tool's $defs (targets of cyclic $refs), or null
};

/// One flat tool (MCP 2025-11-25 server/tools#tool).
struct Tool {
  std::string name;
  std::string title;  ///< the operation's summary when the description is its own text ("" otherwise)
  std::string description;
  json input_schema;
  json output_schema;  ///< null when the operation has no 2xx JSON response
  Binding binding;
};

/// A per-operation problem: the operation was left out or changed.
struct Diagnostic {
  std::string where;  ///< "get /v1/agents", a path (path item), or a tool name (adapters)
  std::string id;     ///< an error or diagnostic id above
  std::string message;
};

/// Bounds on the input (DESIGN.md "Limits").
struct FlattenLimits {
  std::size_t max_operations = 5000;
  std::size_t max_ref_chain = 32;       ///< $ref -> $ref -> ... hops
  std::size_t max_schema_depth = 64;    ///< nesting while inlining
  std::size_t max_schema_nodes = 200000;///< schema objects produced per operation
  std::size_t max_doc_depth = 256;      ///< nesting of the document itself
};

/// The tools of one document plus what was left out and why.
struct FlattenResult {
  std::vector<Tool> tools;
  std::vector<Diagnostic> diagnostics;
};

/// OpenAPI 3.0.x / 3.1.x document -> one flat tool per operation
/// (OpenAPI 3.1 §4.8.8 Path Item, §4.8.10 Operation). A Swagger 2.0
/// document is converted first (swagger2_to_openapi3; its diagnostics come
/// first in the result).
Result<FlattenResult> flatten_openapi(const json& document, const FlattenLimits& limits = {});

/// A Swagger 2.0 document as OpenAPI 3.0.3, plus the operations left out.
struct ConvertedDocument {
  json document;
  std::vector<Diagnostic> diagnostics;
};

/// Swagger 2.0 (OpenAPI 2.0 specification) -> OpenAPI 3.0.3 as far as
/// flattening reads it: host + basePath + schemes[0] -> servers[0];
/// definitions -> components/schemas (refs rewritten); `#/parameters/` and
/// `#/responses/` refs inlined; a `body` parameter -> requestBody under each
/// consumed media type ("*/*" dropped, application/json when none is left);
/// `formData` -> a multipart (a file field, or consumes says so) or
/// urlencoded object body; collectionFormat csv/ssv/pipes/multi -> style +
/// explode (tsv, or a non-csv format in a path or header: the operation is
/// left out, flatten.unsupported_parameter); responses' schemas under each
/// produced media type; `discriminator: "prop"` -> {propertyName},
/// `x-nullable` -> `nullable`, `type: file` -> binary string. Expects a
/// document whose nesting flatten_openapi has already bounded.
Result<ConvertedDocument> swagger2_to_openapi3(const json& swagger, const FlattenLimits& limits = {});

/// An HTTP request described as values; the host performs it.
struct HttpRequest {
  std::string method;
  std::string target;  ///< path + "?" + query, relative to the server base
  std::vector<std::pair<std::string, std::string>> headers;  ///< incl. Content-Type, Cookie
  std::string body;    ///< bytes
};

/// Flat arguments (a JSON object) -> request: RFC 6570 expansion of the path
/// template, query/header/cookie per OpenAPI 3.1 §4.8.12.4 styles, body per
/// the media type (RFC 8259 JSON, WHATWG urlencoded, RFC 7578 multipart).
Result<HttpRequest> build_request(const Binding& binding, const json& arguments);

/// The inverse of build_request: the flat arguments a request carries. Used
/// by servers built from the same document and by the round-trip tests.
/// Every split of the path into the template's values is tried (bounded);
/// a value holds first only the bytes build_request writes raw for it, then
/// any bytes (other clients' encoders); a split counts when each value reads
/// under its parameter. A path with two such splits is refused, not guessed.
Result<json> parse_request(const Binding& binding, const HttpRequest& request);

// --- JSON forms (for the JS surface and servers built from a document) -------

inline constexpr ErrorId BAD_BINDING{"flatten.bad_binding", ErrorKind::local};

/// The MCP Tool object (2025-11-25 server/tools#tool): name, title when there
/// is one, description, inputSchema, and outputSchema when there is one.
json make_tool_json(const Tool& tool);
/// A Binding as JSON: {method, path, server, body, mediaType, bodyRequired,
/// bodySpread, bodyAdditional, outputWrapped, defs?, keys: [{key, in, name,
/// style, explode, allowReserved, allowSlash, contentJson, required,
/// nullable, file, schema}]} with "in" one of path, query, header, cookie,
/// bodyField, body, and "body" one of none, json, form, multipart, text,
/// binary.
json make_binding_json(const Binding& binding);
/// The inverse of make_binding_json; flatten.bad_binding when malformed.
Result<Binding> parse_binding_json(const json& value);

// --- Provider adapters -------------------------------------------------------
//
// Any tool's input schema -> a schema the model provider accepts, and the
// model's arguments mapped back to the tool's own, exactly. Rules per provider
// (the tests check each output with a validator of these rules):
//  - openai: function name [A-Za-z0-9_-]{1,64}; the schema as is.
//  - openai_strict (Structured Outputs): every property required, an optional
//    one made nullable (null = leave out; an optional field that itself
//    allows null becomes {"value": ...} or null, so "send null" and "leave
//    out" stay apart: Duvo's parent_folder_id), additionalProperties false on
//    every object, oneOf -> anyOf, allOf merged, free-form maps -> lists of
//    {key, value}, untyped values -> JSON text, keywords outside the strict
//    subset dropped; property keys [A-Za-z0-9_.-]{1,64}.
//  - anthropic: name [A-Za-z0-9_-]{1,64}, property keys [A-Za-z0-9_.-]{1,64},
//    no union at the root; JSON Schema otherwise kept ($defs too).
//  - gemini (OpenAPI subset): no $ref (recursive schemas cannot be adapted),
//    no additionalProperties, `nullable` instead of null types, single types
//    (several -> anyOf), enum only on strings (const -> enum), free-form maps
//    -> {key, value} lists, untyped values -> JSON text, names
//    [A-Za-z_][A-Za-z0-9_.-]{0,63}, keys [A-Za-z_][A-Za-z0-9_]{0,63}.
// A renamed key or name gets a 4 (key) or 8 (name) hex digit FNV-1a hash of
// the original appended, so renames never collide; a tool that cannot be
// adapted is left out with a Diagnostic (flatten.adapt_unsupported).

inline constexpr ErrorId ADAPT_UNSUPPORTED{"flatten.adapt_unsupported", ErrorKind::remote};

/// The model providers adapt_tools knows (see the rules above).
enum class Provider : unsigned char { openai, openai_strict, anthropic, gemini };

/// A tool as one provider accepts it, plus how to map arguments back.
struct ProviderTool {
  std::string name;           ///< provider-safe name
  std::string original_name;  ///< the tool's own name
  std::string description;
  json parameters;            ///< the provider's schema of the arguments
  json plan;                  ///< reverse mapping (opaque to callers)
};

/// The adapted tools of a list, and the ones left out (with why).
struct AdaptResult {
  std::vector<ProviderTool> tools;
  std::vector<Diagnostic> diagnostics;
};

/// One tool -> the provider's form (names unique within the call's list only).
Result<ProviderTool> adapt_tool(std::string_view name, std::string_view description, const json& input_schema,
                                Provider provider);
/// A list of tools -> the provider's form, provider names unique in the list.
AdaptResult adapt_tools(const std::vector<Tool>& tools, Provider provider);
/// The model's arguments (provider form) -> the tool's arguments.
Result<json> arguments_from_provider(const ProviderTool& tool, const json& model_arguments);
/// The tool's arguments -> provider form (for history replay and tests).
Result<json> arguments_to_provider(const ProviderTool& tool, const json& arguments);

// --- Above a tool limit: search / describe / call ---------------------------
//
// Some model APIs and hosts take at most ~128 tools per request (Duvo has
// about 380). Instead of the list, offer three tools: `search_tools` {query,
// limit?} ranks tools by the query's words in their names (camelCase, _, -, /
// split) and descriptions; `describe_tool` {name} gives one MCP Tool object;
// `call_tool` {name, arguments?} names the tool to run, which the caller then
// builds with build_request (errors there carry "did you mean").

/// The three meta tools as MCP Tool objects (server/tools#tool).
std::vector<json> make_meta_tools();

/// What a meta tool call asks for: an answer to return, or a tool to call.
struct MetaOutcome {
  json result;                ///< search/describe answer (structured content)
  std::string call_tool;      ///< call_tool: the tool to run ("" otherwise)
  json call_arguments;        ///< call_tool: its arguments (an object)
};

/// Handles a call of one of make_meta_tools() over `tools`.
/// flatten.unknown_argument for an unknown tool or meta tool name, with the
/// closest name; flatten.bad_argument for malformed arguments.
Result<MetaOutcome> handle_meta_tool(const std::vector<Tool>& tools, std::string_view meta_tool, const json& arguments);

/// MCP tool name rules (2025-11-25 server/tools#tool-names): 1..128 of
/// [A-Za-z0-9_.-]; other characters become "_", long names are cut and end
/// with an 8-hex-digit hash of the original.
std::string sanitize_tool_name(std::string_view raw);

}  // namespace mcpw::flatten
