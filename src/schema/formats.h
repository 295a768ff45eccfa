#pragma once
// Format checks (2020-12 validation §7.3). They run only in assertion mode
// (§7.2.2); otherwise `format` is an annotation. Unknown formats always pass.

#include <cstdint>
#include <optional>
#include <string_view>

namespace mcpw::schema {

/// The formats we check (validation §7.3.1–§7.3.8).
enum class Format : std::uint8_t {
  date_time, date, time, duration, email, idn_email, hostname, idn_hostname, ipv4, ipv6, uri, uri_reference,
  iri, iri_reference, uuid, uri_template, json_pointer, relative_json_pointer, regex, unknown
};

/// Maps a format name to its id (Format::unknown when we do not check it).
Format parse_format_name(std::string_view name);

/// The name of a format (validation §7.3).
std::string_view format_name(Format f);

/// True when `s` conforms to `f` (RFC 3339, RFC 5321/5322, RFC 1123, RFC 2673,
/// RFC 4291, RFC 3986/3987, RFC 4122, RFC 6570, RFC 6901, ECMA-262).
bool check_format(Format f, std::string_view s);

namespace detail {
/// RFC 3986 §4.1 URI-reference (`absolute`: a URI; `iri`: RFC 3987), read in
/// full. check_format tries a one-pass reading of the common URI first; the
/// tests hold the two to the same verdicts.
bool check_uri_general(std::string_view s, bool absolute, bool iri);
}  // namespace detail

}  // namespace mcpw::schema
