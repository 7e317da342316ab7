// Micro-benchmarks of the sign-in hot path's pieces: the argon2id
// verification that bounds sign-ins per second, and the cheap steps around it
// (keyed token hash, form parsing, password normalisation).
#include <benchmark/benchmark.h>

#include "common/secret_hasher.h"
#include "credential/password_hasher.h"
#include "credential/password_policy.h"
#include "web/form.h"

using namespace portier;

static void BM_Argon2idVerify(benchmark::State& state) {
  PasswordHasher hasher(Argon2Params{});
  auto phc = *hasher.hash("correct horse battery staple");
  for (auto _ : state) benchmark::DoNotOptimize(hasher.verify(phc, "correct horse battery staple"));
  state.SetItemsProcessed(state.iterations());  // items_per_second adds up over threads
}
BENCHMARK(BM_Argon2idVerify)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Argon2idVerify)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(2);

static void BM_SessionTokenHash(benchmark::State& state) {
  SecretHasher secrets(std::string(32, 'k'));
  for (auto _ : state) benchmark::DoNotOptimize(secrets.digest("session", "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6"));
}
BENCHMARK(BM_SessionTokenHash);

static void BM_FormParse(benchmark::State& state) {
  std::string body = "csrf=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG&identifier=jean.dupont&password=une+phrase+de+passe+%C3%A9t%C3%A9";
  for (auto _ : state) benchmark::DoNotOptimize(web::Form::parse(body));
}
BENCHMARK(BM_FormParse);

static void BM_NormalizePassword(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(normalize_password("une phrase de passe été ﬁne"));
}
BENCHMARK(BM_NormalizePassword);

BENCHMARK_MAIN();
