// CNN Studio's native CPU kernels: the heavy training ops of the wasm backend run here on a BLAS,
// IN PLACE on tfjs-backend-wasm's heap. The single-threaded wasm build keeps its memory in a plain
// ArrayBuffer, so napi_get_arraybuffer_info gives a raw pointer and tensors are addressed by their byte
// offsets: no copies in or out. The JS side (src/engine/backend/native/) checks shapes and offsets
// before calling; here the arguments are trusted apart from a bounds check on every tensor.
//
// Exports (all offsets in bytes from the start of the heap, row-major float32):
//   info() -> { library, coreName, config, threads }
//   setThreads(n)
//   gemm(heap, batch, M, N, K, aOff, aStride, transA, bOff, bStride, transB, cOff, biasOff, relu)
//        C[b] = op(A[b]) op(B[b]) (+ bias[N], relu); strides in floats (0 = broadcast one matrix)
//   conv2d(heap, mode, geom[17], xOff, wOff, yOff, biasOff, relu)
//        geom = B,H,W,Ci, KH,KW,Co, OH,OW, strideH,strideW, padTop,padLeft, dilH,dilW, _, _
//        mode 0: y = conv(x, w) (+ bias, relu)   NHWC x, HWIO w, NHWC y     im2col + GEMM
//        mode 1: w = dW from x and dy (= y)       [KH*KW*Ci, Co] = patchesᵀ dy
//        mode 2: x = dX from dy (= y) and w       dpatches = dy wᵀ, col2im into x
//   adam(heap, n, wOff, mOff, vOff, gOff, w2Off, m2Off, v2Off, beta1, beta2, lr, c1, c2, eps)
//        the JS kernel fusedAdam.ts's update in float32 (equal within float rounding)
//   maxPoolGrad(heap, geom[12], xOff, dyOff, dxOff)  geom = B,H,W,C, OH,OW, fh,fw, sh,sw, pt,pl
//        the cpu backend's rule: the FIRST maximum of a window (strict >) gets dy; NaN windows send nothing
//   reluBiasGrad(heap, rows, C, dyOff, yOff, dyActOff, dBiasOff, relu)
//        dyAct = dy where y > 0 else 0; dBias = column sums of dyAct (rows x C)
#include <node_api.h>

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

extern "C" {
// OpenBLAS extensions (declared in Debian's cblas.h too; repeated so other BLAS headers also work).
void openblas_set_num_threads(int);
int openblas_get_num_threads(void);
char* openblas_get_corename(void);
char* openblas_get_config(void);
}

namespace {

struct Heap {
  char* base = nullptr;
  size_t bytes = 0;
};

bool throwError(napi_env env, const char* msg) {
  napi_throw_error(env, "CNN_NATIVE", msg);
  return false;
}

bool heapOf(napi_env env, napi_value v, Heap* h) {
  void* data = nullptr;
  size_t len = 0;
  if (napi_get_arraybuffer_info(env, v, &data, &len) != napi_ok) return throwError(env, "heap must be an ArrayBuffer");
  h->base = static_cast<char*>(data);
  h->bytes = len;
  return true;
}

int64_t num(napi_env env, napi_value v) {
  int64_t x = 0;
  napi_get_value_int64(env, v, &x);
  return x;
}

double dbl(napi_env env, napi_value v) {
  double x = 0;
  napi_get_value_double(env, v, &x);
  return x;
}

// The call's first `n` arguments into `a`, and the heap (always argument 0); false after throwing.
bool callArgs(napi_env env, napi_callback_info info, size_t n, const char* name, napi_value* a, Heap* h) {
  size_t argc = n;
  napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  if (argc < n) {
    std::string msg = std::string(name) + ": " + std::to_string(n) + " arguments expected";
    return throwError(env, msg.c_str());
  }
  return heapOf(env, a[0], h);
}

// `n` whole numbers from a JS array (a kernel's geometry); false after throwing.
bool intArray(napi_env env, napi_value arr, uint32_t n, const char* name, int* out) {
  bool isArray = false;
  uint32_t len = 0;
  napi_is_array(env, arr, &isArray);
  if (isArray) napi_get_array_length(env, arr, &len);
  if (!isArray || len < n) {
    std::string msg = std::string(name) + ": geometry must be an array of " + std::to_string(n) + " numbers";
    return throwError(env, msg.c_str());
  }
  for (uint32_t i = 0; i < n; i++) {
    napi_value e;
    napi_get_element(env, arr, i, &e);
    out[i] = static_cast<int>(num(env, e));
  }
  return true;
}

// A float32 tensor of `count` floats at byte offset `off`, or an exception if it leaves the heap.
float* at(napi_env env, const Heap& h, int64_t off, size_t count) {
  if (off < 0 || off % 4 != 0 || static_cast<size_t>(off) + count * 4 > h.bytes) {
    throwError(env, "tensor outside the wasm heap");
    return nullptr;
  }
  return reinterpret_cast<float*>(h.base + off);
}

// OpenBLAS threads: the configured count for big products, fewer for small ones. Waking a sleeping
// thread costs more than a small GEMM gains from it (mnist-small's conv gradients took 6x the CPU time
// with 2 threads), so each thread gets at least kMacsPerThread multiply-adds.
int configuredThreads = 1;
int currentThreads = -1;
constexpr double kMacsPerThread = 1 << 24;

void threadsFor(double m, double n, double k) {
  const double byWork = m * n * k / kMacsPerThread;
  const int want = byWork >= configuredThreads ? configuredThreads : byWork < 1 ? 1 : static_cast<int>(byWork);
  if (want != currentThreads) {
    openblas_set_num_threads(want);
    currentThreads = want;
  }
}

// C = op(A) op(B) for row-major matrices, with a thread count that fits the size.
void sgemm(bool tA, bool tB, int64_t M, int64_t N, int64_t K, const float* A, int64_t lda, const float* B, int64_t ldb, float* C,
           int64_t ldc) {
  threadsFor(static_cast<double>(M), static_cast<double>(N), static_cast<double>(K));
  cblas_sgemm(CblasRowMajor, tA ? CblasTrans : CblasNoTrans, tB ? CblasTrans : CblasNoTrans, M, N, K, 1.f, A, lda, B, ldb, 0.f, C, ldc);
}

// im2col scratch, kept between calls (the native heap, not the wasm one: no wasm heap growth).
std::vector<float>& scratch(size_t n) {
  static std::vector<float> buf;
  if (buf.size() < n) {
    buf.clear();
    buf.shrink_to_fit();
    buf.resize(n);
  }
  return buf;
}

struct Geom {
  int B, H, W, Ci, KH, KW, Co, OH, OW, sh, sw, pt, pl, dh, dw;
};

// The kw range [lo, hi) whose input column ow*sw + kw*dw - pl lies inside [0, W).
inline void validKw(const Geom& g, int ow, int* lo, int* hi) {
  const int base = ow * g.sw - g.pl;
  int l = 0, h = g.KW;
  while (l < h && base + l * g.dw < 0) l++;
  while (h > l && base + (h - 1) * g.dw >= g.W) h--;
  *lo = l;
  *hi = h;
}

// patches[p, (kh, kw, ci)] for p = (b, oh, ow); zero outside the image. Without dilation the valid kw of
// one kernel row are contiguous in x, so each kernel row is ONE memcpy (Ci = 1 layers: 5x fewer calls).
void im2col(const Geom& g, const float* x, float* P) {
  const size_t rowLen = static_cast<size_t>(g.KH) * g.KW * g.Ci;
  const size_t kwLen = static_cast<size_t>(g.KW) * g.Ci;
  float* row = P;
  for (int b = 0; b < g.B; b++)
    for (int oh = 0; oh < g.OH; oh++)
      for (int ow = 0; ow < g.OW; ow++, row += rowLen) {
        int lo, hi;
        validKw(g, ow, &lo, &hi);
        const int iw0 = ow * g.sw - g.pl;
        float* o = row;
        for (int kh = 0; kh < g.KH; kh++, o += kwLen) {
          const int ih = oh * g.sh + kh * g.dh - g.pt;
          if (ih < 0 || ih >= g.H || lo >= hi) {
            std::memset(o, 0, sizeof(float) * kwLen);
            continue;
          }
          const float* xr = x + (static_cast<size_t>(b) * g.H + ih) * g.W * g.Ci;
          if (lo > 0) std::memset(o, 0, sizeof(float) * lo * g.Ci);
          if (g.dw == 1) {
            std::memcpy(o + static_cast<size_t>(lo) * g.Ci, xr + static_cast<size_t>(iw0 + lo) * g.Ci, sizeof(float) * (hi - lo) * g.Ci);
          } else {
            for (int kw = lo; kw < hi; kw++)
              std::memcpy(o + static_cast<size_t>(kw) * g.Ci, xr + static_cast<size_t>(iw0 + kw * g.dw) * g.Ci, sizeof(float) * g.Ci);
          }
          if (hi < g.KW) std::memset(o + static_cast<size_t>(hi) * g.Ci, 0, sizeof(float) * (g.KW - hi) * g.Ci);
        }
      }
}

// The adjoint of im2col: every patch entry is added back to the input position it came from.
void col2im(const Geom& g, const float* P, float* x) {
  const size_t rowLen = static_cast<size_t>(g.KH) * g.KW * g.Ci;
  const size_t kwLen = static_cast<size_t>(g.KW) * g.Ci;
  std::memset(x, 0, sizeof(float) * static_cast<size_t>(g.B) * g.H * g.W * g.Ci);
  const float* row = P;
  for (int b = 0; b < g.B; b++)
    for (int oh = 0; oh < g.OH; oh++)
      for (int ow = 0; ow < g.OW; ow++, row += rowLen) {
        int lo, hi;
        validKw(g, ow, &lo, &hi);
        const int iw0 = ow * g.sw - g.pl;
        const float* s = row;
        for (int kh = 0; kh < g.KH; kh++, s += kwLen) {
          const int ih = oh * g.sh + kh * g.dh - g.pt;
          if (ih < 0 || ih >= g.H || lo >= hi) continue;
          float* xr = x + (static_cast<size_t>(b) * g.H + ih) * g.W * g.Ci;
          if (g.dw == 1) {
            // One contiguous run of (hi - lo) * Ci floats.
            float* d = xr + static_cast<size_t>(iw0 + lo) * g.Ci;
            const float* src = s + static_cast<size_t>(lo) * g.Ci;
            const size_t len = static_cast<size_t>(hi - lo) * g.Ci;
            for (size_t c = 0; c < len; c++) d[c] += src[c];
          } else {
            for (int kw = lo; kw < hi; kw++) {
              float* d = xr + static_cast<size_t>(iw0 + kw * g.dw) * g.Ci;
              const float* src = s + static_cast<size_t>(kw) * g.Ci;
              for (int c = 0; c < g.Ci; c++) d[c] += src[c];
            }
          }
        }
      }
}

void biasRelu(float* y, size_t rows, int n, const float* bias, bool relu) {
  for (size_t r = 0; r < rows; r++) {
    float* v = y + r * n;
    if (bias && relu)
      for (int c = 0; c < n; c++) { const float t = v[c] + bias[c]; v[c] = t > 0.f ? t : 0.f; }
    else if (bias)
      for (int c = 0; c < n; c++) v[c] += bias[c];
    else if (relu)
      for (int c = 0; c < n; c++) v[c] = v[c] > 0.f ? v[c] : 0.f;
  }
}

// A 1x1, stride-1, unpadded, undilated convolution's patches are the input itself.
bool patchesAreInput(const Geom& g) {
  return g.KH == 1 && g.KW == 1 && g.sh == 1 && g.sw == 1 && g.pt == 0 && g.pl == 0 && g.OH == g.H && g.OW == g.W;
}

napi_value Gemm(napi_env env, napi_callback_info info) {
  napi_value a[14];
  Heap h;
  if (!callArgs(env, info, 14, "gemm", a, &h)) return nullptr;
  const int64_t batch = num(env, a[1]), M = num(env, a[2]), N = num(env, a[3]), K = num(env, a[4]);
  const int64_t aStride = num(env, a[6]), bStride = num(env, a[9]);
  const bool tA = num(env, a[7]) != 0, tB = num(env, a[10]) != 0;
  const int64_t biasOff = num(env, a[12]);
  const bool relu = num(env, a[13]) != 0;
  if (batch < 1 || M < 1 || N < 1 || K < 1) { throwError(env, "gemm: empty dimensions"); return nullptr; }
  float* A = at(env, h, num(env, a[5]), (batch - 1) * aStride + M * K);
  float* Bm = A ? at(env, h, num(env, a[8]), (batch - 1) * bStride + K * N) : nullptr;
  float* C = Bm ? at(env, h, num(env, a[11]), batch * M * N) : nullptr;
  const float* bias = C && biasOff >= 0 ? at(env, h, biasOff, N) : nullptr;
  if (!C || (biasOff >= 0 && !bias)) return nullptr;
  for (int64_t b = 0; b < batch; b++) {
    sgemm(tA, tB, M, N, K, A + b * aStride, tA ? M : K, Bm + b * bStride, tB ? K : N, C + b * M * N, N);
  }
  if (bias || relu) biasRelu(C, batch * M, N, bias, relu);
  return nullptr;
}

napi_value Conv2d(napi_env env, napi_callback_info info) {
  napi_value a[8];
  Heap h;
  if (!callArgs(env, info, 8, "conv2d", a, &h)) return nullptr;
  const int mode = static_cast<int>(num(env, a[1]));
  int v[15];
  if (!intArray(env, a[2], 15, "conv2d", v)) return nullptr;
  const Geom g{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14]};
  for (int i = 0; i < 15; i++)
    if (v[i] < (i == 11 || i == 12 ? 0 : 1)) { throwError(env, "conv2d: bad geometry"); return nullptr; }
  const size_t P = static_cast<size_t>(g.B) * g.OH * g.OW;
  const size_t Kd = static_cast<size_t>(g.KH) * g.KW * g.Ci;
  float* x = at(env, h, num(env, a[3]), static_cast<size_t>(g.B) * g.H * g.W * g.Ci);
  float* w = x ? at(env, h, num(env, a[4]), Kd * g.Co) : nullptr;
  float* y = w ? at(env, h, num(env, a[5]), P * g.Co) : nullptr;
  const int64_t biasOff = num(env, a[6]);
  const float* bias = y && biasOff >= 0 ? at(env, h, biasOff, g.Co) : nullptr;
  if (!y || (biasOff >= 0 && !bias)) return nullptr;
  const bool relu = num(env, a[7]) != 0;
  const bool direct = patchesAreInput(g);
  // The [P, Kd] patch matrix of x (x itself for a 1x1 convolution), for the forward pass and dW.
  auto patchesOf = [&]() -> const float* {
    if (direct) return x;
    float* s = scratch(P * Kd).data();
    im2col(g, x, s);
    return s;
  };
  if (mode == 0) {
    sgemm(false, false, P, g.Co, Kd, patchesOf(), Kd, w, g.Co, y, g.Co);
    if (bias || relu) biasRelu(y, P, g.Co, bias, relu);
  } else if (mode == 1) {
    const float* patches = patchesOf();
    sgemm(true, false, Kd, g.Co, P, patches, Kd, y, g.Co, w, g.Co);
  } else if (mode == 2) {
    if (direct) {
      sgemm(false, true, P, Kd, g.Co, y, g.Co, w, g.Co, x, Kd);
    } else {
      float* s = scratch(P * Kd).data();
      sgemm(false, true, P, Kd, g.Co, y, g.Co, w, g.Co, s, Kd);
      col2im(g, s, x);
    }
  } else {
    throwError(env, "conv2d: mode must be 0, 1 or 2");
  }
  return nullptr;
}

// Adam's update in float32, vectorised (GCC clones it for AVX-512 / AVX2 and picks one at load time
// by what the CPU has). Equal to the JS kernel within float rounding, not bit for bit.
__attribute__((target_clones("avx512f", "avx2", "default")))
void adamUpdate(int64_t n, float* const* p, float beta1, float beta2, float lrOverC1, float invC2, float eps) {
  const float* __restrict W = p[0];
  const float* __restrict M = p[1];
  const float* __restrict V = p[2];
  const float* __restrict G = p[3];
  float* __restrict W2 = p[4];
  float* __restrict M2 = p[5];
  float* __restrict V2 = p[6];
  const float a1 = 1.f - beta1, a2 = 1.f - beta2;
  for (int64_t i = 0; i < n; i++) {
    const float g = G[i];
    const float m = M[i] * beta1 + g * a1;
    const float v = V[i] * beta2 + g * g * a2;
    M2[i] = m;
    V2[i] = v;
    W2[i] = W[i] - lrOverC1 * m / (std::sqrt(v * invC2) + eps);
  }
}

napi_value Adam(napi_env env, napi_callback_info info) {
  napi_value a[15];
  Heap h;
  if (!callArgs(env, info, 15, "adam", a, &h)) return nullptr;
  const int64_t n = num(env, a[1]);
  float* p[7];
  for (int i = 0; i < 7; i++) {
    p[i] = at(env, h, num(env, a[2 + i]), n);
    if (!p[i]) return nullptr;
  }
  const double beta1 = dbl(env, a[9]), beta2 = dbl(env, a[10]), lr = dbl(env, a[11]), c1 = dbl(env, a[12]), c2 = dbl(env, a[13]),
               eps = dbl(env, a[14]);
  adamUpdate(n, p, static_cast<float>(beta1), static_cast<float>(beta2), static_cast<float>(lr / c1), static_cast<float>(1 / c2),
             static_cast<float>(eps));
  return nullptr;
}

// The common 2x2/2 pooling: windows do not overlap, each dy goes to the FIRST of its four maxima (strict
// >, so NaN never wins and an all-NaN window sends nothing). Branch-free selects, so it vectorises.
__attribute__((target_clones("avx512f", "avx2", "default")))
void maxPool2x2Grad(int B, int H, int W, int C, int OH, int OW, const float* __restrict X, const float* __restrict DY,
                    float* __restrict DX) {
  const float ninf = -std::numeric_limits<float>::infinity();
  for (int b = 0; b < B; b++)
    for (int oh = 0; oh < OH; oh++)
      for (int ow = 0; ow < OW; ow++) {
        const size_t p00 = ((static_cast<size_t>(b) * H + 2 * oh) * W + 2 * ow) * C;
        const size_t p01 = p00 + C, p10 = p00 + static_cast<size_t>(W) * C, p11 = p10 + C;
        const float* __restrict dy = DY + ((static_cast<size_t>(b) * OH + oh) * OW + ow) * C;
        for (int d = 0; d < C; d++) {
          const float a = X[p00 + d], bb = X[p01 + d], c = X[p10 + d], e = X[p11 + d];
          // Integer flags and & (not &&): no branches, so the loop vectorises.
          const int wa = a > ninf;
          const float m1 = wa ? a : ninf;
          const int wb = bb > m1;
          const float m2 = wb ? bb : m1;
          const int wc = c > m2;
          const float m3 = wc ? c : m2;
          const int we = e > m3;
          // Which one won: the last comparison that succeeded.
          const float g = dy[d];
          DX[p11 + d] = we ? g : 0.f;
          DX[p10 + d] = (wc & (we ^ 1)) ? g : 0.f;
          DX[p01 + d] = (wb & ((wc | we) ^ 1)) ? g : 0.f;
          DX[p00 + d] = (wa & ((wb | wc | we) ^ 1)) ? g : 0.f;
        }
      }
}

napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  napi_value a[5];
  Heap h;
  if (!callArgs(env, info, 5, "maxPoolGrad", a, &h)) return nullptr;
  int v[12];
  if (!intArray(env, a[1], 12, "maxPoolGrad", v)) return nullptr;
  const int B = v[0], H = v[1], W = v[2], C = v[3], OH = v[4], OW = v[5], fh = v[6], fw = v[7], sh = v[8], sw = v[9], pt = v[10], pl = v[11];
  const size_t inN = static_cast<size_t>(B) * H * W * C;
  const float* X = at(env, h, num(env, a[2]), inN);
  const float* DY = X ? at(env, h, num(env, a[3]), static_cast<size_t>(B) * OH * OW * C) : nullptr;
  float* DX = DY ? at(env, h, num(env, a[4]), inN) : nullptr;
  if (!DX) return nullptr;
  // The 2x2 path writes every cell of every window: only a leftover odd row or column needs zeroing first.
  const bool twoByTwo = fh == 2 && fw == 2 && sh == 2 && sw == 2 && pt == 0 && pl == 0 && 2 * OH <= H && 2 * OW <= W;
  if (!twoByTwo || 2 * OH != H || 2 * OW != W) std::memset(DX, 0, sizeof(float) * inN);
  if (twoByTwo) {
    maxPool2x2Grad(B, H, W, C, OH, OW, X, DY, DX);
    return nullptr;
  }
  std::vector<float> best(C);
  std::vector<int64_t> pos(C);
  const float* dy = DY;
  for (int b = 0; b < B; b++)
    for (int oh = 0; oh < OH; oh++) {
      const int r0 = oh * sh - pt < 0 ? 0 : oh * sh - pt;
      const int r1 = oh * sh - pt + fh > H ? H : oh * sh - pt + fh;
      for (int ow = 0; ow < OW; ow++, dy += C) {
        const int c0 = ow * sw - pl < 0 ? 0 : ow * sw - pl;
        const int c1 = ow * sw - pl + fw > W ? W : ow * sw - pl + fw;
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        std::fill(pos.begin(), pos.end(), -1);
        for (int r = r0; r < r1; r++)
          for (int c = c0; c < c1; c++) {
            const size_t base = ((static_cast<size_t>(b) * H + r) * W + c) * C;
            for (int d = 0; d < C; d++)
              if (X[base + d] > best[d]) { best[d] = X[base + d]; pos[d] = static_cast<int64_t>(base + d); }
          }
        for (int d = 0; d < C; d++)
          if (pos[d] >= 0) DX[pos[d]] += dy[d];
      }
    }
  return nullptr;
}

// Branch-free, so it vectorises (relu masks are ~50 % zeros: a branch mispredicts half the time).
// Column sums go through float blocks of 64 rows into double totals (float32 sums of 50k rows drift).
__attribute__((target_clones("avx512f", "avx2", "default")))
void reluBiasGradRows(int64_t rows, int64_t C, const float* __restrict dy, const float* __restrict y, float* __restrict dyAct,
                      float* __restrict dBias, bool relu) {
  std::vector<double> total(C, 0.0);
  std::vector<float> block(C, 0.f);
  float* __restrict acc = block.data();
  for (int64_t r = 0; r < rows; r++) {
    const float* __restrict g = dy + r * C;
    const float* __restrict o = y + r * C;
    float* __restrict d = dyAct + r * C;
    if (relu)
      for (int64_t c = 0; c < C; c++) {
        const float v = o[c] > 0.f ? g[c] : 0.f;
        d[c] = v;
        acc[c] += v;
      }
    else
      for (int64_t c = 0; c < C; c++) {
        d[c] = g[c];
        acc[c] += g[c];
      }
    if ((r & 63) == 63 || r == rows - 1) {
      for (int64_t c = 0; c < C; c++) {
        total[c] += acc[c];
        acc[c] = 0.f;
      }
    }
  }
  for (int64_t c = 0; c < C; c++) dBias[c] = static_cast<float>(total[c]);
}

// The gradient behind a fused conv's relu and bias: dyAct = dy * (y > 0) (or dy without relu), and
// dBias[c] = the sum of dyAct over batch, rows and columns. One pass instead of Step, Multiply and Sum.
napi_value ReluBiasGrad(napi_env env, napi_callback_info info) {
  napi_value a[8];
  Heap h;
  if (!callArgs(env, info, 8, "reluBiasGrad", a, &h)) return nullptr;
  const int64_t rows = num(env, a[1]), C = num(env, a[2]);
  const size_t n = static_cast<size_t>(rows) * C;
  const float* dy = at(env, h, num(env, a[3]), n);
  const float* y = dy ? at(env, h, num(env, a[4]), n) : nullptr;
  float* dyAct = y ? at(env, h, num(env, a[5]), n) : nullptr;
  float* dBias = dyAct ? at(env, h, num(env, a[6]), C) : nullptr;
  if (!dBias) return nullptr;
  const bool relu = num(env, a[7]) != 0;
  reluBiasGradRows(rows, C, dy, y, dyAct, dBias, relu);
  return nullptr;
}

napi_value SetThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value a[1];
  napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  const int64_t n = argc ? num(env, a[0]) : 1;
  configuredThreads = n < 1 ? 1 : static_cast<int>(n);
  openblas_set_num_threads(configuredThreads);
  currentThreads = configuredThreads;
  return nullptr;
}

napi_value Info(napi_env env, napi_callback_info) {
  napi_value o, s;
  napi_create_object(env, &o);
  napi_create_string_utf8(env, "OpenBLAS", NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, o, "library", s);
  napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, o, "coreName", s);
  napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &s);
  napi_set_named_property(env, o, "config", s);
  napi_create_int32(env, configuredThreads, &s);
  napi_set_named_property(env, o, "threads", s);
  return o;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor d[] = {
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gemm", nullptr, Gemm, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"adam", nullptr, Adam, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"reluBiasGrad", nullptr, ReluBiasGrad, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(d) / sizeof(d[0]), d);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
