// DPoP (RFC 9449): proofs on token requests (§5, with the AS nonce of §8)
// and on every request to the server (§7.1, with `ath` and the resource
// server nonce of §9). The host signs; jtis come from a host seed and a
// counter so proofs need no random-bytes round trip.

#include <algorithm>

#include "auth/authorizer.h"
#include "auth/jwt.h"
#include "support/sha256.h"
#include "support/url.h"

namespace mcpw::auth {

std::string Authorizer::next_jti() {
  auto d = sha256(config_.oauth.dpop_seed + "|" + std::to_string(++jti_counter_));
  return std::string(reinterpret_cast<const char*>(d.data()), 16);
}

void Authorizer::send_token(transport::HttpRequest request) {
  if (config_.oauth.dpop_key_id.empty()) {
    send(std::move(request));
    return;
  }
  unsigned_token_request_ = request;
  dpop_pending_ = std::move(request);
  sign_token_request(true);
}

void Authorizer::sign_token_request(bool fresh) {
  const OAuthSettings& o = config_.oauth;
  if (o.dpop_seed.size() < 16) {
    fail(Error(INVALID_CONFIG, "DPoP needs dpop_seed (16 random bytes or more)"));
    return;
  }
  auto input =
      build_dpop_proof_input(o.dpop_public_jwk, o.dpop_alg, "POST", dpop_pending_->url, now_, next_jti(), as_nonce_);
  if (!input) {
    fail(input.take_error());
    return;
  }
  dpop_input_ = std::move(*input);
  dpop_fresh_ = fresh;
  effects_.emplace_back(SignJwt{o.dpop_key_id, o.dpop_alg, dpop_input_, 0});
}

void Authorizer::on_token_proof_signature(std::string_view raw_signature) {
  auto jwt = finish_jwt(dpop_input_, raw_signature, config_.oauth.dpop_alg);
  dpop_input_.clear();
  if (!jwt) {
    fail(jwt.take_error());
    return;
  }
  transport::HttpRequest req = std::move(*dpop_pending_);
  dpop_pending_.reset();
  req.headers.emplace_back("DPoP", std::move(*jwt));
  send(std::move(req));
}

std::uint64_t Authorizer::begin_request_proof(std::string_view method, std::string_view url, std::uint64_t now_ms) {
  now_ = std::max(now_, now_ms);
  if (!uses_dpop() || config_.oauth.dpop_seed.size() < 16) return 0;
  auto target = parse_url(url);
  auto server = parse_url(config_.server_url);
  if (!target || !server || url_origin(*target) != url_origin(*server)) return 0;  // tokens go nowhere else
  const OAuthSettings& o = config_.oauth;
  auto input = build_dpop_proof_input(o.dpop_public_jwk, o.dpop_alg, method, url, now_ms, next_jti(), rs_nonce_,
                                      tokens_->access_token);
  if (!input) return 0;
  std::uint64_t id = next_proof_++;
  proofs_pending_[id] = {*input, tokens_->access_token};
  effects_.emplace_back(SignJwt{o.dpop_key_id, o.dpop_alg, std::move(*input), id});
  return id;
}

void Authorizer::handle_proof_signature(std::uint64_t proof, std::string_view raw_signature, std::uint64_t) {
  auto it = proofs_pending_.find(proof);
  if (it == proofs_pending_.end()) return;
  RequestProof ready;
  ready.proof = proof;
  auto jwt = finish_jwt(it->second.first, raw_signature, config_.oauth.dpop_alg);
  if (jwt) {
    // RFC 9449 §7.1: the DPoP scheme, and the proof of this very request.
    ready.headers.emplace_back("Authorization", "DPoP " + it->second.second);
    ready.headers.emplace_back("DPoP", std::move(*jwt));
  }  // else: no headers; the request goes unauthorized and its 401 starts a flow
  proofs_pending_.erase(it);
  proofs_ready_.push_back(std::move(ready));
}

std::optional<RequestProof> Authorizer::poll_proof() {
  if (proofs_ready_.empty()) return std::nullopt;
  RequestProof p = std::move(proofs_ready_.front());
  proofs_ready_.pop_front();
  return p;
}

void Authorizer::note_resource_nonce(std::string_view nonce) {
  if (nonce.size() <= 1024) rs_nonce_ = std::string(nonce);
}

}  // namespace mcpw::auth
