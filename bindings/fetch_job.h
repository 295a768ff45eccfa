#pragma once
// One HTTP exchange performed through the host's fetch, its body streamed
// chunk by chunk into the session.

#include <emscripten/val.h>

#include <memory>

#include "driver.h"

namespace mcpw::bindings {

class FetchJob {
 public:
  FetchJob(std::weak_ptr<Core> core, transport::ExchangeId exchange);
  ~FetchJob();

  /// Starts `request` through host.fetch; returns the Promise chain.
  static emscripten::val start(const std::shared_ptr<Core>& core, const transport::HttpRequest& request);

  emscripten::val on_response(emscripten::val response);
  emscripten::val on_chunk(emscripten::val result);
  void on_error(emscripten::val error);

 private:
  emscripten::val read_next();

  std::weak_ptr<Core> core_;
  transport::ExchangeId exchange_;
  emscripten::val reader_ = emscripten::val::undefined();
  emscripten::val on_chunk_ = emscripten::val::undefined();
  emscripten::val on_error_ = emscripten::val::undefined();
};

}  // namespace mcpw::bindings
