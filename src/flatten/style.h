#pragma once
// Parameter serialisation both ways (OpenAPI 3.1 §4.8.12.4 "Style Values",
// which define each style by an RFC 6570 expression), plus schema-directed
// reading of text back into JSON values. Internal to src/flatten.
//
// Choices where OpenAPI leaves room (documented in flatten.h too):
//  - an empty array or object parameter is not sent (RFC 6570 §2.3: an
//    empty list is undefined);
//  - array items and object members that are themselves arrays or objects
//    are sent as JSON text;
//  - header values are sent as printable ASCII: "%", ",", control bytes,
//    non-ASCII bytes and leading/trailing spaces are percent-encoded (a
//    header cannot carry them faithfully otherwise).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "flatten/flatten.h"
#include "support/json.h"
#include "support/result.h"

namespace mcpw::flatten::detail {

/// The shape a value of this schema takes (first non-null type wins).
enum class Shape : unsigned char { scalar, array, object };
Shape schema_shape(const json& schema, const json& defs);
/// `schema` with a "#/$defs/X" reference replaced by its target (bounded).
const json& deref(const json& schema, const json& defs);

/// Text of a scalar for the wire: strings as-is, others as JSON text.
std::string scalar_text(const json& v);
/// The JSON value that `text` stands for under `schema` (type-directed:
/// enum members, then string, boolean, integer/number, null, union branches
/// in order). BAD_REQUEST when nothing fits.
Result<json> value_from_text(const json& schema, std::string_view text, const json& defs);

/// `{name}` in the path: the expansion, already percent-encoded.
Result<std::string> expand_path(const KeyBinding& k, const json& v);
/// Query pieces "name=value", already encoded.
Result<std::vector<std::string>> expand_query(const KeyBinding& k, const json& v);
/// Header value, or cookie pieces "name=value".
Result<std::string> expand_header(const KeyBinding& k, const json& v);
Result<std::vector<std::string>> expand_cookie(const KeyBinding& k, const json& v);

/// Whether expand_path may write byte `c` unencoded for this key (kept
/// characters, "%" of a triplet, and the styles' own ",", ";", "=" and ".").
bool path_raw_char(const KeyBinding& k, unsigned char c);
/// Inverse of expand_path for one variable's raw text.
Result<json> read_path(const KeyBinding& k, std::string_view raw, const json& defs);
/// Inverse of expand_query / expand_cookie: takes the pieces this key owns
/// from `pairs` (decoded name, value still encoded), marks them used.
/// Returns null json when the key is absent.
Result<json> read_pairs(const KeyBinding& k, const std::vector<std::pair<std::string, std::string>>& pairs,
                        std::vector<bool>& used, const json& defs);
/// Inverse of expand_header.
Result<json> read_header(const KeyBinding& k, std::string_view raw, const json& defs);

}  // namespace mcpw::flatten::detail
