// --pre-js for the Wasm unit-test binaries only: under Node they see the real
// environment (GTEST_OUTPUT, GTEST_FILTER, ...), which Emscripten hides by default.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () { Object.assign(ENV, process.env); });
