#pragma once
// Host names with IDNA2008 labels (RFC 5890-5893, RFC 3492 Punycode), for the
// formats "hostname" (A-labels must decode to valid U-labels) and
// "idn-hostname" (U-labels and A-labels). Internal to formats.cpp.
//
// What is checked: label syntax and lengths (A-label form <= 63 octets, name
// <= 253), Punycode round trip, hyphen rules, leading combining marks, the
// RFC 5892 exceptions (§2.6) and contextual rules (Appendix A), a Bidi rule
// approximation (RFC 5893 §2), and general-category based DISALLOWED
// (controls, spaces, symbols, punctuation, upper case). What is not: the full
// derived-property table of RFC 5892 and NFC, so some DISALLOWED code points
// of other categories pass.

#include <string_view>

namespace mcpw::schema {

/// RFC 1123 host name whose "xn--" labels are valid A-labels (RFC 5891 §5.4).
bool check_ascii_hostname(std::string_view s);

/// RFC 5890 §2.3.2.3 internationalized host name (U-labels, A-labels, LDH).
bool check_idn_hostname(std::string_view s);

}  // namespace mcpw::schema
