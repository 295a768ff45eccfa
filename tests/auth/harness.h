#pragma once
// A scripted authorization server and host for the Authorizer: effects are
// performed synchronously against in-test routes, storage is a map that two
// machines may share (two tabs), randomness is a counter, time is a number.

#include <gtest/gtest.h>

#include <functional>
#include <deque>
#include <map>
#include <set>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "auth/authorizer.h"
#include "support/json.h"
#include "support/sha256.h"
#include "support/url.h"

namespace mcpw::auth::testing {

struct Reply {
  int status = 200;
  std::string body;
  bool network_error = false;
  transport::Headers headers;
};

inline Reply json_reply(int status, const std::string& body) {
  return Reply{status, body, false, {{"content-type", "application/json"}}};
}
inline Reply not_found() { return Reply{404, "not found", false, {}}; }

inline std::string query_param(const std::string& url, std::string_view name) {
  auto u = parse_url(url);
  if (!u) return "<bad url>";
  auto q = parse_form(u->query.value_or(""));
  if (!q) return "<bad query>";
  for (const auto& [k, v] : *q) {
    if (k == name) return v;
  }
  return "<absent>";
}

inline std::string form_param(const std::string& body, std::string_view name) {
  auto q = parse_form(body);
  if (!q) return "<bad form>";
  for (const auto& [k, v] : *q) {
    if (k == name) return v;
  }
  return "<absent>";
}

/// What the fake user agent does with an authorization URL: the callback URL
/// to hand back, or nullopt to leave the flow waiting.
using Browser = std::function<std::optional<std::string>(const std::string& url)>;
using Route = std::function<std::optional<Reply>(const transport::HttpRequest&)>;

/// Locks shared by the hosts of several machines (tabs), like Web Locks.
struct Locks {
  std::set<std::string> held;
  std::deque<std::pair<Authorizer*, std::string>> waiting;
  int acquisitions = 0;
};

struct Host {
  std::shared_ptr<Locks> locks = std::make_shared<Locks>();
  std::shared_ptr<std::map<std::string, std::string>> storage = std::make_shared<std::map<std::string, std::string>>();
  std::vector<transport::HttpRequest> requests;
  std::vector<std::string> opened;
  std::vector<Status> outcomes;
  std::vector<Route> routes;
  Browser browser;
  std::function<std::optional<std::string>()> token_getter;
  std::uint64_t now = 1'000'000;
  unsigned char random_counter = 0;
  bool hold_requests = false;  // leave HTTP effects pending in `held`
  std::vector<transport::HttpRequest> held;
  int static_asks = 0;
  std::vector<SignJwt> signed_inputs;
  /// Stands in for WebCrypto: a deterministic 64-byte "signature" of the input.
  static std::string fake_signature(std::string_view key_id, std::string_view input) {
    auto a = sha256(input);
    auto b = sha256(std::string(key_id) + std::string(input));
    return std::string(reinterpret_cast<const char*>(a.data()), 32) + std::string(reinterpret_cast<const char*>(b.data()), 32);
  }
  /// How answers are fed: 0 whole (handle_response), 1 byte by byte, 2 at
  /// random split points (handle_response_head / handle_body / handle_body_end).
  int stream_mode = 0;
  std::mt19937 split_rng{1};

  Reply route(const transport::HttpRequest& req) {
    for (auto& r : routes) {
      if (auto reply = r(req)) return *reply;
    }
    return not_found();
  }

  /// Performs every effect until the machine is quiet.
  void pump(Authorizer& a) {
    for (int guard = 0; guard < 1000; ++guard) {
      auto e = a.poll_effect();
      if (!e) break;
      if (auto* req = std::get_if<transport::HttpRequest>(&*e)) {
        requests.push_back(*req);
        if (hold_requests) {
          held.push_back(*req);
          continue;
        }
        Reply reply = route(*req);
        if (reply.network_error) {
          a.handle_network_error(req->exchange, "connection reset", now);
        } else if (stream_mode == 0) {
          a.handle_response(req->exchange, transport::HttpResponseHead{reply.status, reply.headers}, reply.body, now);
        } else {
          a.handle_response_head(req->exchange, transport::HttpResponseHead{reply.status, reply.headers}, now);
          std::size_t i = 0;
          while (i < reply.body.size()) {
            std::size_t n = stream_mode == 1 ? 1 : 1 + split_rng() % 17;
            a.handle_body(req->exchange, std::string_view(reply.body).substr(i, n), now);
            i += n;
          }
          a.handle_body_end(req->exchange, now);
        }
      } else if (auto* open = std::get_if<OpenUrl>(&*e)) {
        opened.push_back(open->url);
        if (browser) {
          if (auto cb = browser(open->url)) a.handle_redirect(*cb, now);
        }
      } else if (auto* store = std::get_if<StoreValue>(&*e)) {
        if (store->value) {
          (*storage)[store->key] = *store->value;
        } else {
          storage->erase(store->key);
        }
      } else if (auto* load = std::get_if<LoadValue>(&*e)) {
        auto it = storage->find(load->key);
        if (it == storage->end()) {
          a.handle_loaded(load->key, std::nullopt, now);
        } else {
          std::string copy = it->second;
          a.handle_loaded(load->key, std::string_view(copy), now);
        }
      } else if (auto* rnd = std::get_if<NeedRandom>(&*e)) {
        std::string bytes(rnd->bytes, '\0');
        for (char& c : bytes) c = static_cast<char>(random_counter++);
        a.handle_random(bytes, now);
      } else if (auto* sign = std::get_if<SignJwt>(&*e)) {
        signed_inputs.push_back(*sign);
        if (sign->proof != 0) {
          a.handle_proof_signature(sign->proof, fake_signature(sign->key_id, sign->signing_input), now);
        } else {
          a.handle_signature(fake_signature(sign->key_id, sign->signing_input), now);
        }
      } else if (auto* acquire = std::get_if<AcquireLock>(&*e)) {
        if (locks->held.insert(acquire->key).second) {
          ++locks->acquisitions;
          a.handle_lock_acquired(acquire->key, now);
        } else {
          locks->waiting.emplace_back(&a, acquire->key);
        }
      } else if (auto* release = std::get_if<ReleaseLock>(&*e)) {
        locks->held.erase(release->key);
        for (auto it = locks->waiting.begin(); it != locks->waiting.end(); ++it) {
          if (it->second != release->key) continue;
          Authorizer* next = it->first;
          locks->waiting.erase(it);
          locks->held.insert(release->key);
          ++locks->acquisitions;
          next->handle_lock_acquired(release->key, now);  // its effects wait for its own host's pump
          break;
        }
      } else if (std::get_if<NeedStaticToken>(&*e)) {
        ++static_asks;
        a.handle_static_token(token_getter ? token_getter() : std::nullopt, now);
      }
    }
    while (auto o = a.poll_outcome()) outcomes.push_back(std::move(*o));
  }

  /// Advances time to each retry deadline and pumps, until none is left.
  void run_timers(Authorizer& a) {
    for (int guard = 0; guard < 100; ++guard) {
      auto d = a.next_deadline();
      if (!d) break;
      now = std::max(now, *d);
      a.handle_timeout(now);
      pump(a);
    }
  }

  std::vector<std::string> urls() const {
    std::vector<std::string> out;
    for (const auto& r : requests) out.push_back(r.method + " " + r.url);
    return out;
  }
  bool requested(std::string_view url) const {
    for (const auto& r : requests) {
      if (r.url == url) return true;
    }
    return false;
  }
};

/// Duvo's 401 challenge (DUVO.md: PRM at /.well-known/oauth-protected-resource/v2/mcp).
inline constexpr const char* DUVO_CHALLENGE =
    R"(Bearer resource_metadata="https://api.duvo.ai/.well-known/oauth-protected-resource/v2/mcp", scope="runs:read")";

inline void expect_one_ok(const Host& h) {
  ASSERT_EQ(h.outcomes.size(), 1u);
  EXPECT_TRUE(h.outcomes[0].ok()) << h.outcomes[0].error().id.id << ": " << h.outcomes[0].error().message;
}

inline void expect_one_error(const Host& h, const ErrorId& id) {
  ASSERT_EQ(h.outcomes.size(), 1u);
  ASSERT_FALSE(h.outcomes[0].ok());
  EXPECT_TRUE(h.outcomes[0].error().is(id)) << h.outcomes[0].error().id.id << ": " << h.outcomes[0].error().message;
}

}  // namespace mcpw::auth::testing
