#include "http/bounded_pool.h"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <future>
#include <vector>

namespace portier::http {
namespace {

TEST(BoundedPoolTest, AFullPoolRefusesAtOnceAndTakesWorkAgainOnceAJobLeaves) {
  BoundedPool hashing("hashing", 1, 1);
  EXPECT_EQ(hashing.capacity(), 2);
  auto running = hashing.try_enter();
  auto waiting = hashing.try_enter();
  ASSERT_TRUE(running);
  ASSERT_TRUE(waiting);
  EXPECT_FALSE(hashing.try_enter()) << "one thread busy and one job waiting: the third is refused";
  EXPECT_EQ(hashing.in_flight(), 2);
  { auto leaving = std::move(running); }
  EXPECT_EQ(hashing.in_flight(), 1);
  EXPECT_TRUE(hashing.try_enter()) << "a place freed up";
}

TEST(BoundedPoolTest, PagesAreStillServedWhileTheHashingPoolIsFullOfStuckJobs) {
  BoundedPool hashing("hashing", 1, 1);
  BoundedPool pages("pages", 1, 4);
  std::promise<void> release;
  auto released = release.get_future().share();
  // Fill the hashing pool with jobs that block until released, as a flood of
  // argon2id verifications would.
  std::vector<BoundedPool::Ticket> held;
  for (int i = 0; i < 2; ++i) {
    auto t = hashing.try_enter();
    ASSERT_TRUE(t);
    held.push_back(std::move(*t));
    boost::asio::post(hashing.executor(), [released] { released.wait(); });
  }
  EXPECT_FALSE(hashing.try_enter());

  auto page = pages.try_enter();
  ASSERT_TRUE(page) << "the pages pool has its own places";
  std::promise<int> rendered;
  boost::asio::post(pages.executor(), [&rendered] { rendered.set_value(200); });
  EXPECT_EQ(rendered.get_future().get(), 200) << "a page job runs while every hashing thread is stuck";

  release.set_value();
  hashing.join();
  pages.join();
}

TEST(BoundedPoolTest, ParallelCallersNeverOverfillThePool) {
  BoundedPool pool("hashing", 2, 3);
  std::atomic<int> admitted{0};
  std::vector<std::optional<BoundedPool::Ticket>> tickets(64);
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i)
    threads.emplace_back([&, i] {
      tickets[i] = pool.try_enter();
      if (tickets[i]) ++admitted;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(admitted.load(), 5);
  EXPECT_EQ(pool.in_flight(), 5);
}

}  // namespace
}  // namespace portier::http
