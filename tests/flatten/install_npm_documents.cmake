# cmake -DDIR=<dir> -P install_npm_documents.cmake
# Installs the pinned public OpenAPI documents the flatten tests read, once.
set(packages "@readme/oas-examples@8.2.2" "@octokit/openapi@23.0.2" "@directus/specs@15.2.0")
if(EXISTS "${DIR}/node_modules/@readme/oas-examples/package.json" AND
   EXISTS "${DIR}/node_modules/@octokit/openapi/package.json" AND
   EXISTS "${DIR}/node_modules/@directus/specs/package.json")
  return()
endif()
file(MAKE_DIRECTORY "${DIR}")
execute_process(COMMAND npm install --no-audit --no-fund --prefix "${DIR}" ${packages}
  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err TIMEOUT 300)
if(NOT rc EQUAL 0)
  message(WARNING "npm install of the flatten test documents failed (${rc}); those tests will skip.\n${err}")
endif()
