// [SECTION] geometry: points, homographies, bilinear samples
// [SECTION] finder patterns: row scans, cross-checks, merging, triples
// [SECTION] the grid: dimension, alignment pattern, timing score
// [SECTION] the warp: edges pull the grid onto the modules
// [SECTION] rendering and the driver
#include "scan/QrGrid.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace fd::scan {
namespace {

// [SECTION] geometry --------------------------------------------------------

struct Pt {
  double x = 0, y = 0;
};
Pt operator+(Pt a, Pt b) { return {a.x + b.x, a.y + b.y}; }
Pt operator-(Pt a, Pt b) { return {a.x - b.x, a.y - b.y}; }
Pt operator*(double k, Pt a) { return {k * a.x, k * a.y}; }
double dot(Pt a, Pt b) { return a.x * b.x + a.y * b.y; }
double cross(Pt a, Pt b) { return a.x * b.y - a.y * b.x; }
double norm(Pt a) { return std::sqrt(dot(a, a)); }
// Rounding and flooring without libm's calls (std::lround is one on x86-64
// and was a tenth of this pass): valid far beyond any image's coordinates.
int round_px(double v) { return static_cast<int>(v + 65536.5) - 65536; }
int floor_px(double v) { return static_cast<int>(v + 65536.0) - 65536; }

// Solves the n x n system a x = b in place (Gaussian elimination with
// partial pivoting); false when singular.
bool solve(std::vector<double>& a, std::vector<double>& b, int n) {
  for (int c = 0; c < n; ++c) {
    int p = c;
    for (int r = c + 1; r < n; ++r)
      if (std::abs(a[static_cast<std::size_t>(r * n + c)]) >
          std::abs(a[static_cast<std::size_t>(p * n + c)]))
        p = r;
    if (std::abs(a[static_cast<std::size_t>(p * n + c)]) < 1e-12) return false;
    if (p != c) {
      for (int k = 0; k < n; ++k)
        std::swap(a[static_cast<std::size_t>(p * n + k)], a[static_cast<std::size_t>(c * n + k)]);
      std::swap(b[static_cast<std::size_t>(p)], b[static_cast<std::size_t>(c)]);
    }
    for (int r = c + 1; r < n; ++r) {
      const double f =
          a[static_cast<std::size_t>(r * n + c)] / a[static_cast<std::size_t>(c * n + c)];
      if (f == 0) continue;
      for (int k = c; k < n; ++k)
        a[static_cast<std::size_t>(r * n + k)] -= f * a[static_cast<std::size_t>(c * n + k)];
      b[static_cast<std::size_t>(r)] -= f * b[static_cast<std::size_t>(c)];
    }
  }
  for (int r = n - 1; r >= 0; --r) {
    double s = b[static_cast<std::size_t>(r)];
    for (int k = r + 1; k < n; ++k)
      s -= a[static_cast<std::size_t>(r * n + k)] * b[static_cast<std::size_t>(k)];
    b[static_cast<std::size_t>(r)] = s / a[static_cast<std::size_t>(r * n + r)];
  }
  return true;
}

// Grid coordinates (u, v), in modules, to image coordinates.
struct Homography {
  std::array<double, 9> m{};
  Pt operator()(double u, double v) const {
    const double w = m[6] * u + m[7] * v + m[8];
    return {(m[0] * u + m[1] * v + m[2]) / w, (m[3] * u + m[4] * v + m[5]) / w};
  }
};

std::optional<Homography> homography(const std::array<Pt, 4>& grid,
                                     const std::array<Pt, 4>& image) {
  std::vector<double> a(64, 0), b(8, 0);
  for (std::size_t i = 0; i < 4; ++i) {
    const double u = grid[i].x, v = grid[i].y, x = image[i].x, y = image[i].y;
    const std::array<double, 8> rx{u, v, 1, 0, 0, 0, -u * x, -v * x};
    const std::array<double, 8> ry{0, 0, 0, u, v, 1, -u * y, -v * y};
    for (std::size_t k = 0; k < 8; ++k) {
      a[(2 * i) * 8 + k] = rx[k];
      a[(2 * i + 1) * 8 + k] = ry[k];
    }
    b[2 * i] = x;
    b[2 * i + 1] = y;
  }
  if (!solve(a, b, 8)) return std::nullopt;
  Homography h;
  for (std::size_t k = 0; k < 8; ++k) h.m[k] = b[k];
  h.m[8] = 1;
  return h;
}

// Pixel (x, y) has its centre at (x, y); outside the plane reads as white.
double sample(const Plane& p, Pt at) {
  const int x0 = floor_px(at.x), y0 = floor_px(at.y);
  if (x0 < 0 || y0 < 0 || x0 + 1 >= p.w || y0 + 1 >= p.h) {
    const int x = round_px(at.x), y = round_px(at.y);
    return x < 0 || y < 0 || x >= p.w || y >= p.h ? 255.0 : p.at(x, y);
  }
  const double fx = at.x - x0, fy = at.y - y0;
  const double top = p.at(x0, y0) * (1 - fx) + p.at(x0 + 1, y0) * fx;
  const double bottom = p.at(x0, y0 + 1) * (1 - fx) + p.at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

// [SECTION] finder patterns -------------------------------------------------

// The five runs dark-light-DARK-light-dark through `c` along the unit
// vector `d`, in pixels; `shift` is where the middle run's centre lies
// from c along d.
struct Runs {
  std::array<double, 5> r{};
  double shift = 0;
  double total() const { return r[0] + r[1] + r[2] + r[3] + r[4]; }
};

std::optional<Runs> runs_along(const Plane& bin, Pt c, Pt d, double max_len) {
  auto dark = [&](double t) {
    const int x = round_px(c.x + d.x * t), y = round_px(c.y + d.y * t);
    if (x < 0 || y < 0 || x >= bin.w || y >= bin.h) return -1;
    return bin.at(x, y) == 0 ? 1 : 0;
  };
  if (dark(0) != 1) return std::nullopt;
  std::array<std::array<double, 3>, 2> edge{};  // per side: core end, light end, ring end
  for (int side = 0; side < 2; ++side) {
    const double sgn = side == 0 ? 1 : -1;
    double t = 0;
    int want = 1;
    for (std::size_t k = 0; k < 3; ++k) {
      for (;;) {
        t += 1;
        if (t > max_len) return std::nullopt;
        const int v = dark(sgn * t);
        if (v < 0 && k < 2) return std::nullopt;
        if (v != want) break;
      }
      edge[static_cast<std::size_t>(side)][k] = t - 0.5;
      want = 1 - want;
    }
  }
  Runs r;
  r.r = {edge[1][2] - edge[1][1], edge[1][1] - edge[1][0], edge[0][0] + edge[1][0],
         edge[0][1] - edge[0][0], edge[0][2] - edge[0][1]};
  r.shift = (edge[0][0] - edge[1][0]) / 2;
  return r;
}

// 1:1:3:1:1, leniently: blur widens the dark runs, perspective skews them.
bool finder_ratios(const std::array<double, 5>& r) {
  const double total = r[0] + r[1] + r[2] + r[3] + r[4];
  if (total < 6) return false;
  const double m = total / 7;
  for (std::size_t i : {0u, 1u, 3u, 4u})
    if (std::abs(r[i] - m) > 0.8 * m) return false;
  return std::abs(r[2] - 3 * m) <= 1.6 * m;
}

struct Finder {
  Pt c;
  double module = 0;
  int hits = 0;
};

// A 1:1:3:1:1 run in a row, confirmed down the column and again along the
// row through the corrected centre, and along a diagonal.
std::optional<Finder> confirm(const Plane& bin, double x, double y, double total) {
  const double limit = 3 * total;
  const auto v = runs_along(bin, {x, y}, {0, 1}, limit);
  if (!v || !finder_ratios(v->r) || v->total() > 2.5 * total || 2.5 * v->total() < total)
    return std::nullopt;
  const double cy = y + v->shift;
  const auto h = runs_along(bin, {x, cy}, {1, 0}, limit);
  if (!h || !finder_ratios(h->r)) return std::nullopt;
  const Pt c{x + h->shift, cy};
  const double s = std::sqrt(0.5);
  const auto d1 = runs_along(bin, c, {s, s}, limit * 1.5);
  const auto d2 = runs_along(bin, c, {s, -s}, limit * 1.5);
  if ((!d1 || !finder_ratios(d1->r)) && (!d2 || !finder_ratios(d2->r))) return std::nullopt;
  return Finder{c, (h->total() + v->total()) / 14, 1};
}

// Row candidates confirmed at most, for a plane of `area` pixels: the most
// a blackbox image needs is 1 per 212 pixels (2,872 in 780 x 781); a
// texture of crossing lines (hatching, a knitted pullover) offers 1 per 5
// and cost 370 M instructions to refute.
int max_confirms(int area) { return 500 + area / 64; }

std::vector<Finder> find_finders(const Plane& bin) {
  std::vector<Finder> found;
  std::vector<int> starts;
  const int step = bin.h > 600 ? 2 : 1;
  int confirms = 0;
  const int most = max_confirms(bin.w * bin.h);
  for (int y = 0; y < bin.h && confirms < most; y += step) {
    starts.clear();
    for (int x = 0; x < bin.w; ++x)
      if (x == 0 || bin.at(x, y) != bin.at(x - 1, y)) starts.push_back(x);
    starts.push_back(bin.w);
    const std::size_t first_dark = bin.at(0, y) == 0 ? 0 : 1;
    for (std::size_t k = first_dark; k + 5 < starts.size(); k += 2) {
      std::array<double, 5> r{};
      for (std::size_t i = 0; i < 5; ++i) r[i] = starts[k + i + 1] - starts[k + i];
      if (!finder_ratios(r)) continue;
      const double total = starts[k + 5] - starts[k];
      const double x = starts[k + 2] + (r[2] - 1) / 2;
      if (++confirms > most) break;
      const auto f = confirm(bin, std::round(x), y, total);
      if (!f) continue;
      // The same pattern is seen on every row through its core: merge.
      bool merged = false;
      for (Finder& g : found)
        if (norm(g.c - f->c) < std::max(2.0, 1.5 * g.module) && f->module < 2 * g.module &&
            g.module < 2 * f->module) {
          const double w = g.hits;
          g.c = (1 / (w + 1)) * (w * g.c + f->c);
          g.module = (w * g.module + f->module) / (w + 1);
          ++g.hits;
          merged = true;
          break;
        }
      if (!merged) found.push_back(*f);
    }
  }
  std::sort(found.begin(), found.end(),
            [](const Finder& a, const Finder& b) { return a.hits > b.hits; });
  if (found.size() > 12) found.resize(12);
  return found;
}

struct FinderSet {
  Finder tl, tr, bl;
  double score = 0;  // lower is better
};

std::vector<FinderSet> finder_sets(const std::vector<Finder>& f) {
  std::vector<FinderSet> sets;
  const std::size_t n = f.size();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      for (std::size_t k = j + 1; k < n; ++k) {
        const std::array<const Finder*, 3> t{&f[i], &f[j], &f[k]};
        double mmin = 1e9, mmax = 0;
        for (const Finder* p : t)
          mmin = std::min(mmin, p->module), mmax = std::max(mmax, p->module);
        if (mmax > 2.2 * mmin) continue;
        std::optional<FinderSet> best;
        for (std::size_t c = 0; c < 3; ++c) {  // which one is the corner
          const Finder& v = *t[c];
          const Finder& p = *t[(c + 1) % 3];
          const Finder& q = *t[(c + 2) % 3];
          const Pt a = p.c - v.c, b = q.c - v.c;
          const double la = norm(a), lb = norm(b);
          const double m = (v.module + p.module + q.module) / 3;
          if (la < 10 * m || lb < 10 * m || std::max(la, lb) > 2 * std::min(la, lb)) continue;
          const double cosine = dot(a, b) / (la * lb);
          if (std::abs(cosine) > 0.55) continue;
          // A real finder is crossed by a row scan on every row through its
          // core; one seen on a single row is more likely a chance pattern.
          const double weak = 1.0 / v.hits + 1.0 / p.hits + 1.0 / q.hits;
          const double score = std::abs(cosine) + 0.5 * std::abs(std::log(la / lb)) +
                               0.3 * std::log(mmax / mmin) + 0.2 * weak;
          if (best && best->score <= score) continue;
          best = cross(a, b) > 0 ? FinderSet{v, p, q, score} : FinderSet{v, q, p, score};
        }
        if (best) sets.push_back(*best);
      }
  std::sort(sets.begin(), sets.end(),
            [](const FinderSet& a, const FinderSet& b) { return a.score < b.score; });
  return sets;
}

// [SECTION] the grid --------------------------------------------------------

// The module size along the line from a finder's centre towards `toward`:
// rotation makes the row-wise estimate too large.
double module_along(const Plane& bin, const Finder& a, Pt toward) {
  Pt d = toward - a.c;
  d = (1 / norm(d)) * d;
  const auto r = runs_along(bin, a.c, d, 7 * a.module * 3);
  return r && finder_ratios(r->r) ? r->total() / 7 : a.module;
}

int snap_dim(double d) {
  return std::clamp(17 + 4 * static_cast<int>(std::lround((d - 17) / 4)), 21, 177);
}

std::vector<int> dimensions(const Plane& bin, const FinderSet& s) {
  const double mt = (module_along(bin, s.tl, s.tr.c) + module_along(bin, s.tr, s.tl.c)) / 2;
  const double ml = (module_along(bin, s.tl, s.bl.c) + module_along(bin, s.bl, s.tl.c)) / 2;
  const double dt = norm(s.tr.c - s.tl.c) / mt + 7, dl = norm(s.bl.c - s.tl.c) / ml + 7;
  std::vector<int> out;
  const int mid = snap_dim((dt + dl) / 2);
  for (int d : {mid, snap_dim(dt), snap_dim(dl), mid + 4, mid - 4})
    if (d >= 21 && d <= 177 && std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  return out;
}

std::optional<Homography> grid_from(const FinderSet& s, int dim, std::optional<Pt> alignment) {
  const double far = dim - 3.5;
  if (alignment)
    return homography({Pt{3.5, 3.5}, {far, 3.5}, {3.5, far}, {dim - 6.5, dim - 6.5}},
                      {s.tl.c, s.tr.c, s.bl.c, *alignment});
  return homography({Pt{3.5, 3.5}, {far, 3.5}, {3.5, far}, {far, far}},
                    {s.tl.c, s.tr.c, s.bl.c, s.tr.c + s.bl.c - s.tl.c});
}

// The bottom-right alignment pattern (dark centre, light ring, dark ring)
// near where the grid puts it: the best match on a half-module lattice,
// then the centroid of the best matches on a quarter-module one around it.
std::optional<Pt> find_alignment(const Plane& bin, const Homography& h, int dim) {
  const double c = dim - 6.5;
  const Pt p0 = h(c, c), ex = h(c + 1, c) - p0, ey = h(c, c + 1) - p0;
  auto dark = [&](Pt p) {
    const int x = round_px(p.x), y = round_px(p.y);
    return x >= 0 && y >= 0 && x < bin.w && y < bin.h && bin.at(x, y) == 0;
  };
  auto score = [&](Pt p) {
    int s = dark(p);
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        if (!dx && !dy) continue;
        const Pt d = static_cast<double>(dx) * ex + static_cast<double>(dy) * ey;
        s += !dark(p + d) + dark(p + 2 * d);
      }
    return s;
  };
  int best = 0;
  Pt at = p0;
  for (double a = -3; a <= 3; a += 0.5)
    for (double b = -3; b <= 3; b += 0.5)
      if (const Pt p = p0 + a * ex + b * ey; score(p) > best) best = score(p), at = p;
  if (best < 14) return std::nullopt;
  best = 0;
  Pt sum{};
  int n = 0;
  for (double a = -0.75; a <= 0.75; a += 0.25)
    for (double b = -0.75; b <= 0.75; b += 0.25) {
      const Pt p = at + a * ex + b * ey;
      const int sc = score(p);
      if (sc > best) best = sc, sum = {}, n = 0;
      if (sc == best) sum = sum + p, ++n;
    }
  if (best < 15) return std::nullopt;
  return (1.0 / n) * sum;
}

// How well the timing patterns (row and column 6) alternate under `h`.
double timing_score(const Plane& bin, const Homography& h, int dim) {
  int good = 0, n = 0;
  for (int i = 8; i <= dim - 9; ++i)
    for (const Pt g : {Pt{i + 0.5, 6.5}, Pt{6.5, i + 0.5}}) {
      const Pt p = h(g.x, g.y);
      const int x = round_px(p.x), y = round_px(p.y);
      const bool dark = x >= 0 && y >= 0 && x < bin.w && y < bin.h && bin.at(x, y) == 0;
      good += dark == (i % 2 == 0);
      ++n;
    }
  return n ? static_cast<double>(good) / n : 0;
}

struct Hypothesis {
  int dim = 0;
  Homography h;
  double score = 0;
};

// A perspective from the three finder patterns alone: where the picture is
// tilted away, the finders look smaller. A homography's local scale goes
// as 1 / w^2, so the ratios of the finders' module sizes give w at each,
// which fixes the two perspective terms; the three centres fix the rest.
std::optional<Homography> grid_from_sizes(const Plane& bin, const FinderSet& s, int dim) {
  const Pt right = s.tr.c - s.tl.c, down = s.bl.c - s.tl.c;
  const double m_tl = (module_along(bin, s.tl, s.tr.c) + module_along(bin, s.tl, s.bl.c)) / 2;
  const double m_tr =
      (module_along(bin, s.tr, s.tl.c) + module_along(bin, s.tr, s.tr.c + down)) / 2;
  const double m_bl =
      (module_along(bin, s.bl, s.tl.c) + module_along(bin, s.bl, s.bl.c + right)) / 2;
  if (m_tl <= 0 || m_tr <= 0 || m_bl <= 0) return std::nullopt;
  const double r1 = std::sqrt(m_tl / m_tr),
               r2 = std::sqrt(m_tl / m_bl);  // w_tr / w_tl, w_bl / w_tl
  const double a = 3.5, b = dim - 3.5;
  // w(u, v) = p u + q v + 1 at the tr and bl centres, relative to tl's.
  std::vector<double> m{b - r1 * a, a - r1 * a, a - r2 * a, b - r2 * a}, rhs{r1 - 1, r2 - 1};
  if (!solve(m, rhs, 2)) return std::nullopt;
  const double p = rhs[0], q = rhs[1];
  const std::array<Pt, 3> grid{Pt{a, a}, Pt{b, a}, Pt{a, b}};
  const std::array<Pt, 3> image{s.tl.c, s.tr.c, s.bl.c};
  Homography h;
  for (std::size_t axis = 0; axis < 2; ++axis) {
    std::vector<double> a3(9), b3(3);
    for (std::size_t i = 0; i < 3; ++i) {
      const double w = p * grid[i].x + q * grid[i].y + 1;
      a3[i * 3] = grid[i].x, a3[i * 3 + 1] = grid[i].y, a3[i * 3 + 2] = 1;
      b3[i] = (axis == 0 ? image[i].x : image[i].y) * w;
    }
    if (!solve(a3, b3, 3)) return std::nullopt;
    for (std::size_t k = 0; k < 3; ++k) h.m[axis * 3 + k] = b3[k];
  }
  h.m[6] = p, h.m[7] = q, h.m[8] = 1;
  return h;
}

// Grids for the dimensions the finders suggest, each under a parallelogram,
// a perspective from the finders' sizes, and a perspective through the
// bottom-right alignment pattern (for the two that fit best), best timing
// first.
std::vector<Hypothesis> hypotheses(const Plane& bin, const FinderSet& s) {
  std::vector<Hypothesis> out;
  for (int dim : dimensions(bin, s)) {
    if (const auto affine = grid_from(s, dim, std::nullopt))
      out.push_back({dim, *affine, timing_score(bin, *affine, dim)});
    if (const auto tilted = grid_from_sizes(bin, s, dim))
      out.push_back({dim, *tilted, timing_score(bin, *tilted, dim)});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Hypothesis& a, const Hypothesis& b) { return a.score > b.score; });
  const std::size_t affine = out.size();
  for (std::size_t i = 0; i < affine && i < 2; ++i) {
    if (out[i].dim == 21) continue;  // version 1 has no alignment pattern
    if (const auto ap = find_alignment(bin, out[i].h, out[i].dim))
      if (const auto h = grid_from(s, out[i].dim, ap))
        out.push_back({out[i].dim, *h, timing_score(bin, *h, out[i].dim)});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Hypothesis& a, const Hypothesis& b) { return a.score > b.score; });
  return out;
}

// The same grid on a picture twice the size: pixel (x, y) of the half-size
// one is the mean of pixels 2x and 2x + 1, so its centre is at 2x + 0.5.
Hypothesis doubled(Hypothesis h) {
  auto& m = h.h.m;
  for (std::size_t r = 0; r < 2; ++r)
    for (std::size_t c = 0; c < 3; ++c) m[r * 3 + c] = 2 * m[r * 3 + c] + 0.5 * m[6 + c];
  return h;
}

// [SECTION] the warp --------------------------------------------------------

// The perspective, plus a smooth displacement in grid coordinates: bilinear
// between control points `k` x `k` cells over the code.
struct Warp {
  Homography h;
  int dim = 0, k = 0;
  std::vector<double> du, dv;  // (k+1)^2 each

  Warp(const Homography& hom, int d) : h(hom), dim(d) { set_cells(2); }
  void set_cells(int cells) {  // keeps the displacement where it is
    std::vector<double> nu, nv;
    for (int y = 0; y <= cells; ++y)
      for (int x = 0; x <= cells; ++x) {
        const Pt d = displacement(static_cast<double>(x) * dim / cells,
                                  static_cast<double>(y) * dim / cells);
        nu.push_back(d.x);
        nv.push_back(d.y);
      }
    k = cells, du = std::move(nu), dv = std::move(nv);
  }
  // Bilinear weights of the four control points around (u, v).
  void weights(double u, double v, std::array<std::size_t, 4>& at, std::array<double, 4>& w) const {
    const double gx = std::clamp(u / dim * k, 0.0, static_cast<double>(k));
    const double gy = std::clamp(v / dim * k, 0.0, static_cast<double>(k));
    const int ix = std::min(static_cast<int>(gx), k - 1),
              iy = std::min(static_cast<int>(gy), k - 1);
    const double fx = gx - ix, fy = gy - iy;
    const auto i = static_cast<std::size_t>(iy * (k + 1) + ix);
    at = {i, i + 1, i + static_cast<std::size_t>(k) + 1, i + static_cast<std::size_t>(k) + 2};
    w = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
  }
  Pt displacement(double u, double v) const {
    if (du.empty()) return {};
    std::array<std::size_t, 4> at{};
    std::array<double, 4> w{};
    weights(u, v, at, w);
    Pt d;
    for (std::size_t i = 0; i < 4; ++i) d = d + w[i] * Pt{du[at[i]], dv[at[i]]};
    return d;
  }
  Pt map(double u, double v) const {
    const Pt d = displacement(u, v);
    return h(u + d.x, v + d.y);
  }
};

constexpr int kScale = 4;        // rectified pixels per module where the warp is fitted
constexpr int kRefineSteps = 4;  // coarse twice, then fine

// The code resampled square, `scale` pixels a module. The warp is evaluated
// at the module corners only and interpolated inside a module, where it is
// as good as affine: a tenth of the cost.
Plane rectify(const Plane& gray, const Warp& w, int scale) {
  const int d = w.dim, n = d + 1;
  std::vector<Pt> lattice(static_cast<std::size_t>(n * n));
  for (int j = 0; j <= d; ++j)
    for (int i = 0; i <= d; ++i) lattice[static_cast<std::size_t>(j * n + i)] = w.map(i, j);
  Plane r(d * scale, d * scale);
  for (int j = 0; j < d; ++j)
    for (int i = 0; i < d; ++i) {
      const std::size_t c = static_cast<std::size_t>(j * n + i);
      const Pt p00 = lattice[c], p10 = lattice[c + 1];
      const Pt p01 = lattice[c + static_cast<std::size_t>(n)],
               p11 = lattice[c + static_cast<std::size_t>(n) + 1];
      for (int y = 0; y < scale; ++y) {
        const double fy = (y + 0.5) / scale;
        const Pt a = p00 + fy * (p01 - p00), b = p10 + fy * (p11 - p10);
        for (int x = 0; x < scale; ++x)
          r.at(i * scale + x, j * scale + y) =
              static_cast<std::uint8_t>(sample(gray, a + ((x + 0.5) / scale) * (b - a)) + 0.5);
      }
    }
  return r;
}

struct Modules {
  int dim = 0;
  std::vector<double> mean;        // of each module's centre
  std::vector<std::uint8_t> dark;  // classified
  double at(int i, int j) const { return mean[static_cast<std::size_t>(j * dim + i)]; }
  bool is_dark(int i, int j) const { return dark[static_cast<std::size_t>(j * dim + i)]; }
};

// Each module's centre mean against a threshold halfway between the code's
// global split (Otsu) and its neighbourhood's mean: shading across a
// crumpled sheet moves the local level.
void threshold(Modules& m) {
  const int dim = m.dim;
  int hist[256] = {};
  for (double v : m.mean) ++hist[std::clamp(static_cast<int>(v), 0, 255)];
  double total = 0, best = -1, otsu = 128;
  for (int v = 0; v < 256; ++v) total += v * hist[v];
  double sum0 = 0, n0 = 0;
  const double n = static_cast<double>(m.mean.size());
  for (int t = 0; t < 255; ++t) {
    n0 += hist[t], sum0 += t * hist[t];
    if (n0 == 0 || n0 == n) continue;
    const double m0 = sum0 / n0, m1 = (total - sum0) / (n - n0);
    const double between = n0 * (n - n0) * (m0 - m1) * (m0 - m1);
    if (between > best) best = between, otsu = t + 0.5;
  }
  // The neighbourhood (7 x 7 modules) from a summed-area table.
  const int w = dim + 1;
  std::vector<double> sat(static_cast<std::size_t>(w * w), 0);
  for (int j = 0; j < dim; ++j)
    for (int i = 0; i < dim; ++i)
      sat[static_cast<std::size_t>((j + 1) * w + i + 1)] =
          m.at(i, j) + sat[static_cast<std::size_t>(j * w + i + 1)] +
          sat[static_cast<std::size_t>((j + 1) * w + i)] - sat[static_cast<std::size_t>(j * w + i)];
  m.dark.resize(m.mean.size());
  for (int j = 0; j < dim; ++j)
    for (int i = 0; i < dim; ++i) {
      const int x0 = std::max(0, i - 3), x1 = std::min(dim, i + 4);
      const int y0 = std::max(0, j - 3), y1 = std::min(dim, j + 4);
      const double s =
          sat[static_cast<std::size_t>(y1 * w + x1)] - sat[static_cast<std::size_t>(y0 * w + x1)] -
          sat[static_cast<std::size_t>(y1 * w + x0)] + sat[static_cast<std::size_t>(y0 * w + x0)];
      const double local = s / ((x1 - x0) * (y1 - y0));
      m.dark[static_cast<std::size_t>(j * dim + i)] = m.at(i, j) < (otsu + local) / 2;
    }
}

// The modules of a rectified code: the mean of each one's inner part.
Modules classify(const Plane& r, int dim) {
  Modules m{dim, std::vector<double>(static_cast<std::size_t>(dim * dim)), {}};
  const int scale = r.w / dim, inner = std::max(1, scale - 2), from = (scale - inner) / 2;
  for (int j = 0; j < dim; ++j)
    for (int i = 0; i < dim; ++i) {
      double s = 0;
      for (int y = from; y < from + inner; ++y)
        for (int x = from; x < from + inner; ++x) s += r.at(i * scale + x, j * scale + y);
      m.mean[static_cast<std::size_t>(j * dim + i)] = s / (inner * inner);
    }
  threshold(m);
  return m;
}

// The modules straight from the picture, without a rectified copy: the
// sample at each module's centre. (Averaging 3 x 3 samples around it read
// one blackbox image more of 548, at nine times the cost.)
Modules sample_modules(const Plane& gray, const Warp& w) {
  const int d = w.dim, n = d + 1;
  std::vector<Pt> lattice(static_cast<std::size_t>(n * n));
  for (int j = 0; j <= d; ++j)
    for (int i = 0; i <= d; ++i) lattice[static_cast<std::size_t>(j * n + i)] = w.map(i, j);
  Modules m{d, std::vector<double>(static_cast<std::size_t>(d * d)), {}};
  for (int j = 0; j < d; ++j)
    for (int i = 0; i < d; ++i) {
      const std::size_t c = static_cast<std::size_t>(j * n + i);
      const Pt centre =
          0.25 * (lattice[c] + lattice[c + 1] + lattice[c + static_cast<std::size_t>(n)] +
                  lattice[c + static_cast<std::size_t>(n) + 1]);
      m.mean[static_cast<std::size_t>(j * d + i)] = sample(gray, centre);
    }
  threshold(m);
  return m;
}

struct Shift {
  double u = 0, v = 0, d = 0;  // at grid (u, v), the grid is off by d modules
};

// Where the module edges really are: across every border between a dark and
// a light module, the crossing of their mid level nearest the border.
void measure_edges(const Plane& r, const Modules& m, bool across_columns, std::vector<Shift>& out) {
  const int dim = m.dim;
  std::array<double, 2 * kScale + 1> prof{};
  for (int j = 0; j < dim; ++j)
    for (int i = 1; i < dim; ++i) {
      const double a = across_columns ? m.at(i - 1, j) : m.at(j, i - 1);
      const double b = across_columns ? m.at(i, j) : m.at(j, i);
      const bool da = across_columns ? m.is_dark(i - 1, j) : m.is_dark(j, i - 1);
      const bool db = across_columns ? m.is_dark(i, j) : m.is_dark(j, i);
      if (da == db || std::abs(a - b) < 24) continue;
      const double level = (a + b) / 2;
      // From the centre of module i-1 to the centre of module i.
      const int x0 = (i - 1) * kScale + kScale / 2;
      for (int t = 0; t <= kScale; ++t) {
        double s = 0;
        for (int q = 1; q < kScale - 1; ++q)
          s += across_columns ? r.at(x0 + t, j * kScale + q) : r.at(j * kScale + q, x0 + t);
        prof[static_cast<std::size_t>(t)] = s / (kScale - 2);
      }
      double best = 1e9;
      for (int t = 0; t < kScale; ++t) {
        const double p = prof[static_cast<std::size_t>(t)],
                     q = prof[static_cast<std::size_t>(t) + 1];
        if ((p - level) * (q - level) > 0 || p == q) continue;
        const double at = x0 + t + 0.5 + (level - p) / (q - p);
        if (std::abs(at - i * kScale) < std::abs(best)) best = at - i * kScale;
      }
      if (best > 1e8) continue;
      const Pt g = across_columns ? Pt{static_cast<double>(i), j + 0.5}
                                  : Pt{j + 0.5, static_cast<double>(i)};
      out.push_back({g.x, g.y, best / kScale});
    }
}

// A smooth field through the shifts, least squares with a smoothness term,
// added to the warp's displacement (u or v).
void fit(Warp& w, const std::vector<Shift>& shifts, bool along_u) {
  const int n = (w.k + 1) * (w.k + 1);
  std::vector<double> a(static_cast<std::size_t>(n * n), 0), b(static_cast<std::size_t>(n), 0);
  std::array<std::size_t, 4> at{};
  std::array<double, 4> wt{};
  for (const Shift& s : shifts) {
    w.weights(s.u, s.v, at, wt);
    for (std::size_t p = 0; p < 4; ++p) {
      b[at[p]] += wt[p] * s.d;
      for (std::size_t q = 0; q < 4; ++q)
        a[at[p] * static_cast<std::size_t>(n) + at[q]] += wt[p] * wt[q];
    }
  }
  const double smooth = 2, ridge = 0.05;
  const auto un = static_cast<std::size_t>(n);
  for (int y = 0; y <= w.k; ++y)
    for (int x = 0; x <= w.k; ++x) {
      const auto i = static_cast<std::size_t>(y * (w.k + 1) + x);
      a[i * un + i] += ridge;
      for (const auto& [nx, ny] : {std::pair{x + 1, y}, std::pair{x, y + 1}}) {
        if (nx > w.k || ny > w.k) continue;
        const auto j = static_cast<std::size_t>(ny * (w.k + 1) + nx);
        a[i * un + i] += smooth, a[j * un + j] += smooth;
        a[i * un + j] -= smooth, a[j * un + i] -= smooth;
      }
    }
  if (!solve(a, b, n)) return;
  auto& field = along_u ? w.du : w.dv;
  for (std::size_t i = 0; i < un; ++i) field[i] += std::clamp(b[i], -0.5, 0.5);
}

// Pulls the grid onto the module edges it sees: coarse first, then finer.
void refine(const Plane& gray, Warp& w) {
  const int fine = std::clamp(static_cast<int>(std::lround(w.dim / 5.0)), 2, 8);
  for (int it = 0; it < kRefineSteps; ++it) {
    if (it == 2) w.set_cells(fine);
    const Plane r = rectify(gray, w, kScale);
    const Modules m = classify(r, w.dim);
    std::vector<Shift> su, sv;
    measure_edges(r, m, true, su);
    measure_edges(r, m, false, sv);
    fit(w, su, true);
    fit(w, sv, false);
  }
}

// [SECTION] rendering and the driver ----------------------------------------

void transpose(Modules& m) {
  for (int j = 0; j < m.dim; ++j)
    for (int i = j + 1; i < m.dim; ++i) {
      std::swap(m.dark[static_cast<std::size_t>(j * m.dim + i)],
                m.dark[static_cast<std::size_t>(i * m.dim + j)]);
      std::swap(m.mean[static_cast<std::size_t>(j * m.dim + i)],
                m.mean[static_cast<std::size_t>(i * m.dim + j)]);
    }
}

// 2 px a module inside a quiet zone of 4, with the finder patterns and their
// separators drawn as the standard has them: they carry no data, and ZXing's
// pure reader finds the code by them.
Plane render(const Modules& m, bool light_on_dark) {
  constexpr int kPx = 2, kQuiet = 4;
  const int dim = m.dim, side = (dim + 2 * kQuiet) * kPx;
  Plane p(side, side, 255);
  auto finder_bit = [dim](int i, int j) -> int {  // -1: not part of a finder or separator
    for (const auto& [fx, fy] : {std::pair{0, 0}, std::pair{dim - 7, 0}, std::pair{0, dim - 7}}) {
      const int x = i - fx, y = j - fy;
      if (x < -1 || y < -1 || x > 7 || y > 7) continue;
      if (x == -1 || y == -1 || x == 7 || y == 7) return 0;
      const int ring = std::max(std::abs(x - 3), std::abs(y - 3));
      return ring != 2;
    }
    return -1;
  };
  for (int j = 0; j < dim; ++j)
    for (int i = 0; i < dim; ++i) {
      const int f = finder_bit(i, j);
      if (!(f < 0 ? m.is_dark(i, j) != light_on_dark : f == 1)) continue;
      for (int y = 0; y < kPx; ++y)
        for (int x = 0; x < kPx; ++x) p.at((i + kQuiet) * kPx + x, (j + kQuiet) * kPx + y) = 0;
    }
  return p;
}

}  // namespace

bool for_each_grid(const Plane& gray, const GridOptions& o,
                   const std::function<bool(const Plane&)>& read) {
  if (gray.w < 21 || gray.h < 21) return false;
  // Finder patterns span seven modules: in a large region (a ticket held
  // close) they are found as well at half size, for a quarter of the cost.
  // The modules are sampled from the full-size picture all the same.
  const bool halve = o.halve_large && gray.w * gray.h > 300 * 300;
  const Plane small = halve ? half(gray) : Plane();
  const Plane& look = halve ? small : gray;
  const int radius = std::clamp(std::min(look.w, look.h) / 12, 3, 40);
  const Plane bin = local_threshold(look, radius, 0);
  // Finder triples are ranked by their geometry, which chance patterns in
  // the data can imitate; the timing patterns under each triple's grid say
  // more. So the grids of all triples, of dark codes on light and of light
  // codes on dark (a phone in dark mode), are ranked together by that.
  struct Candidate {
    Hypothesis h;
    bool light_on_dark = false;
  };
  std::vector<Candidate> all;
  for (const bool light_on_dark : {false, true}) {
    const Plane b = light_on_dark ? inverted(bin) : bin;
    const auto sets = finder_sets(find_finders(b));
    for (std::size_t si = 0; si < sets.size() && static_cast<int>(si) < o.max_sets; ++si)
      for (auto& h : hypotheses(b, sets[si]))
        // Half the timing modules right is what any grid gets by chance; a
        // real code's can score lower still when its modules are dots.
        if (h.score >= 0.4) all.push_back({halve ? doubled(h) : h, light_on_dark});
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const Candidate& a, const Candidate& b) { return a.h.score > b.h.score; });
  // A budget keeps a region full of chance patterns from costing more than a
  // real code: a plain look at the best few grids (a tenth of a warp's cost
  // each), the warp for the best three, then plain looks at the rest. The
  // costs are instructions per module, measured with callgrind.
  // A code seen in a mirror (a selfie camera, a sheet's back) has its
  // finders' handedness flipped, so its grid comes out transposed; ZXing
  // 1.4's own mirror fallback misses some (a version 1 code of digits).
  // So a rendering that does not read is read transposed as well.
  auto read_either = [&](Modules m, bool light_on_dark) {
    if (read(render(m, light_on_dark))) return true;
    transpose(m);
    return read(render(m, light_on_dark));
  };
  long budget = o.budget;
  auto look_cost = [](int dim) { return 60L * dim * dim + 160L * (dim + 8) * (dim + 8); };
  auto plain = [&](const Candidate& c) {
    budget -= look_cost(c.h.dim);
    return budget >= 0 && read_either(sample_modules(gray, Warp(c.h.h, c.h.dim)), c.light_on_dark);
  };
  constexpr std::size_t kFirst = 6;
  for (std::size_t i = 0; i < all.size() && i < kFirst && budget >= 0; ++i)
    if (plain(all[i])) return true;
  int warps = 0;
  for (const auto& [h, light_on_dark] : all) {
    // The warp pays off on a grid that is nearly right; its cost grows with
    // the square of the dimension.
    if (!o.warp || h.dim > 57 || h.score < 0.55) continue;
    if (++warps > 3) break;
    if ((budget -= 40L * h.dim * h.dim * kScale * kScale * kRefineSteps + look_cost(h.dim)) < 0)
      return false;
    Warp w(h.h, h.dim);
    refine(gray, w);
    if (read_either(sample_modules(gray, w), light_on_dark)) return true;
  }
  for (std::size_t i = kFirst; i < all.size() && budget >= 0; ++i)
    if (plain(all[i])) return true;
  return false;
}

}  // namespace fd::scan
