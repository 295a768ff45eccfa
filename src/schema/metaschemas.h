#pragma once
// The official metaschemas, embedded so `$schema` and `$ref` to them work with
// no network and no resolver (JSON Schema 2020-12 core §9.3.1: implementations
// may ship known schemas).

#include <string_view>
#include <vector>

namespace mcpw::schema {

/// One embedded metaschema: its canonical URI (no fragment) and minified text.
struct EmbeddedMetaschema {
  std::string_view uri;
  std::string_view text;
};

/// Every embedded metaschema (draft-07, 2019-09, 2020-12 and their vocabularies).
const std::vector<EmbeddedMetaschema>& embedded_metaschemas();

}  // namespace mcpw::schema
