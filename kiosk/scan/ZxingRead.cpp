// The only file that includes ZXing.
#include "scan/ZxingRead.h"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>

#include <algorithm>

namespace fd::scan {

std::vector<ZxFound> zxing_read(const std::uint8_t* px, int w, int h, int row_stride,
                                int pix_stride, const ZxHints& o) {
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(o.try_harder);
  hints.setTryRotate(false);  // QR finds its own orientation; rotation is for 1D codes
  // Our passes choose their own scales; ZXing's pyramid would decode the
  // frame a second time at a third of the size even after a hit.
  hints.setTryDownscale(false);
  hints.setIsPure(o.pure);
  hints.setReturnErrors(o.errors);
  switch (o.binarizer) {
    case ZxHints::Binarizer::LocalAverage:
      hints.setBinarizer(ZXing::Binarizer::LocalAverage);
      break;
    case ZxHints::Binarizer::GlobalHistogram:
      hints.setBinarizer(ZXing::Binarizer::GlobalHistogram);
      break;
    case ZxHints::Binarizer::Fixed: hints.setBinarizer(ZXing::Binarizer::FixedThreshold); break;
  }
  std::vector<ZxFound> out;
  const ZXing::ImageView view(px, w, h, ZXing::ImageFormat::Lum, row_stride, pix_stride);
  for (const auto& r : ZXing::ReadBarcodes(view, hints)) {
    if (r.format() != ZXing::BarcodeFormat::QRCode) continue;
    if (!r.isValid() && !(o.errors && r.error())) continue;
    const auto pos = r.position();
    ZxFound f{r.isValid() ? r.text() : std::string(), w, h, 0, 0, !r.isValid()};
    for (int i = 0; i < 4; ++i) {
      f.x0 = std::min(f.x0, pos[i].x);
      f.y0 = std::min(f.y0, pos[i].y);
      f.x1 = std::max(f.x1, pos[i].x);
      f.y1 = std::max(f.y1, pos[i].y);
    }
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<std::string> zxing_read_default(const std::uint8_t* px, int w, int h, int row_stride,
                                            int pix_stride) {
  std::vector<std::string> out;
  const ZXing::ImageView view(px, w, h, ZXing::ImageFormat::Lum, row_stride, pix_stride);
  for (const auto& r : ZXing::ReadBarcodes(view, ZXing::DecodeHints{}))
    if (r.isValid()) out.push_back(r.text());
  return out;
}

}  // namespace fd::scan
