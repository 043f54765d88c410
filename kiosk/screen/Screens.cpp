// The kiosk's screens. Each draws the flow's state over the engine's
// snapshot and turns taps into flow actions; nothing here touches the disk,
// the network, the printer or the camera.
//
// [SECTION] Drawing helpers
// [SECTION] Ready
// [SECTION] Result
// [SECTION] Find my name, Confirm
// [SECTION] Walk-in
// [SECTION] PIN pad
// [SECTION] Organizer dashboard
// [SECTION] Door checks
// [SECTION] Pairing doors
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "qr/QrCode.h"
#include "screen/Ui.h"
#include "search/SearchIndex.h"

namespace fd {
namespace {

// ---------------------------------------------------------------------------
// [SECTION] Drawing helpers
// ---------------------------------------------------------------------------

// Colour is never the only signal (icon and words say it too), and these
// stay apart in luminance for the common colour-vision deficiencies.
constexpr ImU32 kBackground = IM_COL32(28, 31, 38, 255);
constexpr ImU32 kPanel = IM_COL32(44, 48, 58, 255);
constexpr ImU32 kGreen = IM_COL32(22, 120, 52, 255);
constexpr ImU32 kAmber = IM_COL32(183, 110, 0, 255);
constexpr ImU32 kRed = IM_COL32(178, 34, 34, 255);
constexpr ImU32 kBlue = IM_COL32(31, 78, 140, 255);
constexpr std::uint32_t kWhite = 0xFFFFFFFF;
constexpr std::uint32_t kSoft = 0xC8CDD6FF;

ImDrawList* dl() { return ImGui::GetWindowDrawList(); }

// High contrast: black ground, white words, outlined buttons. The result
// colours stay (they are the answer), everything else turns black and white.
std::uint32_t text_colour(const Ui& ui, std::uint32_t rgba) {
  return ui.high_contrast && rgba == kSoft ? kWhite : rgba;
}
ImU32 ground(const Ui& ui, ImU32 col) {
  return ui.high_contrast && (col == kBackground || col == kPanel) ? IM_COL32(0, 0, 0, 255) : col;
}

// Draws text in any script; (x, y) is the top centre when centered, else the top left.
ImVec2 text_at(Ui& ui, const std::string& s, float x, float y, float px, std::uint32_t rgba,
               float max_w = 0, bool bold = false, int lines = 1, bool centered = true,
               bool ellipsis_ok = false) {
  if (s.empty()) return {0, 0};
  const TextTexture& t = ui.text.get(s, px * ui.scale * ui.text_scale, text_colour(ui, rgba),
                                     static_cast<int>(max_w), bold, lines, centered, ellipsis_ok);
  const float left = centered ? x - t.width / 2.0f : x;
  dl()->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(t.texture)), ImVec2(left, y),
                 ImVec2(left + t.width, y + t.height));
  return ImVec2(static_cast<float>(t.width), static_cast<float>(t.height));
}

// `inset` draws the button smaller than the area that takes the touch, so
// rows of keys look apart while every millimetre still counts as a hit.
bool big_button(Ui& ui, const char* id, const char* label, ImVec2 pos, ImVec2 size, ImU32 colour,
                float px = 26, float inset = 0) {
  ImGui::SetCursorScreenPos(pos);
  ImGui::PushID(id);
  const bool pressed = ImGui::InvisibleButton("b", size);
  const bool held = ImGui::IsItemActive();
  ImGui::PopID();
  pos = {pos.x + inset, pos.y + inset};
  size = {size.x - 2 * inset, size.y - 2 * inset};
  const ImU32 c = held ? IM_COL32(255, 255, 255, 60) : colour;
  dl()->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y),
                      ui.high_contrast ? IM_COL32(0, 0, 0, 255) : colour, 14 * ui.scale);
  if (ui.high_contrast)
    dl()->AddRect(pos, ImVec2(pos.x + size.x, pos.y + size.y), IM_COL32(255, 255, 255, 255),
                  14 * ui.scale, 0, 3 * ui.scale);
  if (held) dl()->AddRectFilled(pos, ImVec2(pos.x + size.x, pos.y + size.y), c, 14 * ui.scale);
  const TextTexture& t = ui.text.get(label, px * ui.scale * ui.text_scale, kWhite,
                                     static_cast<int>(size.x - 16 * ui.scale), true, 2);
  dl()->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(t.texture)),
                 ImVec2(pos.x + (size.x - t.width) / 2, pos.y + (size.y - t.height) / 2),
                 ImVec2(pos.x + (size.x + t.width) / 2, pos.y + (size.y + t.height) / 2));
  return pressed;
}

void icon_check(ImVec2 c, float r, ImU32 col) {
  dl()->AddCircle(c, r, col, 48, r * 0.12f);
  const ImVec2 pts[3] = {{c.x - r * 0.45f, c.y + r * 0.02f},
                         {c.x - r * 0.1f, c.y + r * 0.38f},
                         {c.x + r * 0.5f, c.y - r * 0.35f}};
  dl()->AddPolyline(pts, 3, col, 0, r * 0.16f);
}
void icon_cross(ImVec2 c, float r, ImU32 col) {
  dl()->AddCircle(c, r, col, 48, r * 0.12f);
  const float k = r * 0.4f;
  dl()->AddLine({c.x - k, c.y - k}, {c.x + k, c.y + k}, col, r * 0.16f);
  dl()->AddLine({c.x + k, c.y - k}, {c.x - k, c.y + k}, col, r * 0.16f);
}
void icon_clock(ImVec2 c, float r, ImU32 col) {
  dl()->AddCircle(c, r, col, 48, r * 0.12f);
  dl()->AddLine(c, {c.x, c.y - r * 0.55f}, col, r * 0.14f);
  dl()->AddLine(c, {c.x + r * 0.4f, c.y + r * 0.1f}, col, r * 0.14f);
}
void icon_undo(ImVec2 c, float r, ImU32 col) {
  dl()->PathArcTo(c, r * 0.55f, -2.6f, 1.6f, 24);
  dl()->PathStroke(col, 0, r * 0.14f);
  dl()->AddTriangleFilled({c.x - r * 0.75f, c.y - r * 0.45f}, {c.x - r * 0.2f, c.y - r * 0.6f},
                          {c.x - r * 0.5f, c.y - r * 0.05f}, col);
  dl()->AddCircle(c, r, col, 48, r * 0.12f);
}

void fill_screen(Ui& ui, ImU32 col) {
  dl()->AddRectFilled({0, 0}, {ui.width, ui.height}, ground(ui, col));
}

// Touch targets are at least 15 mm tall: on a 7" 800x480 screen (about
// 92 mm tall) that is 16% of the height, and scaling keeps it on bigger ones.
constexpr float kTouch = 0.163f;
float touch(const Ui& ui) { return ui.height * kTouch; }

// The on-screen keyboard: three rows at the bottom, letters to the focused
// field. Returns where it starts.
float keyboard(Ui& ui) {
  static constexpr const char* rows[] = {"qwertyuiop", "asdfghjkl-", "zxcvbnm'"};
  const float s = ui.scale, key_h = touch(ui), key_w = (ui.width - 8 * s) / 10.0f;
  const float top = ui.height - 3 * key_h - 4 * s;
  for (int r = 0; r < 3; ++r) {
    const std::string keys = rows[r];
    float x = 4 * s;
    const float y = top + r * key_h;
    for (char k : keys) {
      const std::string label(1, k >= 'a' && k <= 'z' ? static_cast<char>(k - 32) : k);
      if (big_button(ui, label.c_str(), label.c_str(), {x, y}, {key_w, key_h}, kPanel, 24, 3 * s))
        ui.flow.type(std::string(1, k), ui.now);
      x += key_w;
    }
    if (r == 2) {
      if (big_button(ui, "space", "␣", {x, y}, {key_w, key_h}, kPanel, 24, 3 * s))
        ui.flow.type(" ", ui.now);
      x += key_w;
      if (big_button(ui, "bksp", "⌫", {x, y}, {key_w, key_h}, kPanel, 24, 3 * s))
        ui.flow.backspace(ui.now);
    }
  }
  return top;
}

// ---------------------------------------------------------------------------
// [SECTION] Ready
// ---------------------------------------------------------------------------

void draw_ready(Ui& ui) {
  const float s = ui.scale, w = ui.width, h = ui.height;
  fill_screen(ui, kBackground);
  float title_x = 24 * s;
  if (ui.logo_texture && ui.logo_height > 0) {
    const float lh = 64 * s, lw = lh * ui.logo_width / ui.logo_height;
    dl()->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(ui.logo_texture)),
                   {24 * s, 16 * s}, {24 * s + lw, 16 * s + lh});
    title_x += lw + 16 * s;
  }
  const float title_h = text_at(ui, ui.snap.event.name, title_x, 16 * s, 30, kWhite,
                                w * 0.62f - title_x, true, 1, false)
                            .y;
  const float here_y = std::max(58 * s, 16 * s + title_h);
  // Which door this is, once there are several (named at join or by hand).
  const std::string door =
      ui.snap.door_naming == DoorNaming::Default ? std::string() : " · " + ui.snap.door;
  const float here_h =
      text_at(ui, ui.count(ui.snap.headcount(), "%d person is here", "%d people are here") + door,
              title_x, here_y, 18, kSoft, w * 0.62f - title_x, false, 1, false)
          .y;
  if (ui.next_language && big_button(ui, "lang", ui.words.name().c_str(), {w - 170 * s, 8 * s},
                                     {162 * s, touch(ui)}, kPanel, 20, 4 * s))
    ui.next_language();

  // The camera's view with a frame to aim at; the scan module fills it.
  // Bottom-aligned under the camera, however large the words are.
  const char* hold = ui.tr("Hold your ticket's QR code up to the camera");
  const float hold_h = static_cast<float>(
      ui.text
          .get(hold, 22 * s * ui.text_scale, kWhite, static_cast<int>(w * 0.58f - 24 * s), true, 2)
          .height);
  const float hold_y = std::min(h - 58 * s, h - hold_h - 4 * s);
  const ImVec2 cam0{24 * s, std::max(100 * s, here_y + here_h + 6 * s)},
      cam1{w * 0.58f, std::min(h - 70 * s, hold_y - 6 * s)};
  dl()->AddRectFilled(cam0, cam1, IM_COL32(10, 12, 16, 255), 16 * s);
  if (ui.high_contrast) dl()->AddRect(cam0, cam1, IM_COL32(255, 255, 255, 255), 16 * s, 0, 3 * s);
  const ImVec2 mid{(cam0.x + cam1.x) / 2, (cam0.y + cam1.y) / 2};
  if (ui.camera_ok && ui.preview_texture && ui.preview_width > 0) {
    // Fit the picture into the box, keeping its shape.
    const float bw = cam1.x - cam0.x, bh = cam1.y - cam0.y;
    const float k = std::min(bw / ui.preview_width, bh / ui.preview_height);
    const float pw = ui.preview_width * k, ph = ui.preview_height * k;
    dl()->AddImageRounded(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(ui.preview_texture)),
                          {mid.x - pw / 2, mid.y - ph / 2}, {mid.x + pw / 2, mid.y + ph / 2},
                          {0, 0}, {1, 1}, IM_COL32_WHITE, 16 * s);
  }
  const float box = std::min(cam1.x - cam0.x, cam1.y - cam0.y) * 0.32f;
  const ImU32 aim = ui.camera_ok ? IM_COL32(255, 255, 255, 220) : IM_COL32(255, 255, 255, 70);
  for (int i = 0; i < 4; ++i) {  // four corner brackets
    const float sx = (i & 1) ? 1.f : -1.f, sy = (i & 2) ? 1.f : -1.f;
    const ImVec2 c{mid.x + sx * box, mid.y + sy * box};
    dl()->AddLine(c, {c.x - sx * box * 0.35f, c.y}, aim, 6 * s);
    dl()->AddLine(c, {c.x, c.y - sy * box * 0.35f}, aim, 6 * s);
  }
  if (!ui.camera_ok) {
    const float said =
        text_at(ui, ui.tr("Camera unavailable — use Find my name"), mid.x,
                mid.y - 24 * s * ui.text_scale, 20, kSoft, cam1.x - cam0.x - 40 * s, false, 2)
            .y;
    // What an organizer needs to fix it, in small print.
    text_at(ui, ui.camera_message, mid.x, mid.y - 24 * s * ui.text_scale + said + 6 * s, 14, kSoft,
            cam1.x - cam0.x - 40 * s, false, 2);
  }
  text_at(ui, hold, (cam0.x + cam1.x) / 2, hold_y, 22, kWhite, cam1.x - cam0.x, true, 2);

  const float bx = w * 0.62f, bw = w - bx - 24 * s, t = touch(ui);
  const float bh = (h - 100 * s - t - 12 * s - 2 * 14 * s) / 2;
  if (big_button(ui, "find", ui.tr("Find my name"), {bx, 100 * s}, {bw, bh}, kBlue, 30))
    ui.flow.open_find_name(ui.now);
  if (big_button(ui, "new", ui.tr("I'm new here"), {bx, 100 * s + bh + 14 * s}, {bw, bh}, kGreen,
                 30))
    ui.flow.open_walk_in(ui.now);
  // Attendee modes: bigger words, black and white. A tick says which is on.
  const float my = h - t - 12 * s, mw = (bw - 8 * s) / 2;
  const std::string larger = std::string(ui.flow.large_text() ? "✓ " : "") + ui.tr("Larger text");
  const std::string contrast =
      std::string(ui.flow.high_contrast() ? "✓ " : "") + ui.tr("High contrast");
  if (big_button(ui, "large", larger.c_str(), {bx, my}, {mw, t}, kPanel, 17, 2 * s))
    ui.flow.toggle_large_text(ui.now);
  if (big_button(ui, "contrast", contrast.c_str(), {bx + mw + 8 * s, my}, {mw, t}, kPanel, 17,
                 2 * s))
    ui.flow.toggle_high_contrast(ui.now);
}

// ---------------------------------------------------------------------------
// [SECTION] Result
// ---------------------------------------------------------------------------

void draw_result(Ui& ui) {
  const float s = ui.scale, w = ui.width, h = ui.height;
  const Decision& d = *ui.flow.result();
  ImU32 bg = kRed;
  // The engine's words in the screen's language (a refusal's, the room
  // being full); the ones this screen says its own way below.
  std::string headline = ui.message(d.message);
  if (d.verdict == Verdict::Admitted) {
    bg = kGreen;
    headline = format(ui.tr("Welcome, %s!"), d.who ? d.who->first_name : std::string());
  } else if (d.verdict == Verdict::AlreadyIn) {
    bg = kAmber;
    headline = format(ui.tr("Already checked in at %s (%s)"), local_hhmm(d.at), d.door);
  } else if (d.verdict == Verdict::Undone) {
    bg = kBlue;
    headline = ui.tr("Check-in undone");
  } else if (d.verdict == Verdict::Left || d.verdict == Verdict::Returned) {
    // An exit door's goodbye, or a welcome back: not refusals.
    const std::string first = d.who ? d.who->first_name : std::string();
    bg = d.verdict == Verdict::Left ? kBlue : kGreen;
    headline = format(
        d.verdict == Verdict::Left ? ui.tr("Goodbye, %s!") : ui.tr("Welcome back, %s!"), first);
  }
  fill_screen(ui, bg);
  const ImVec2 icon{w / 2, 90 * s};
  const ImU32 white = IM_COL32(255, 255, 255, 255);
  if (d.verdict == Verdict::Admitted || d.verdict == Verdict::Left ||
      d.verdict == Verdict::Returned)
    icon_check(icon, 52 * s, white);
  else if (d.verdict == Verdict::AlreadyIn)
    icon_clock(icon, 52 * s, white);
  else if (d.verdict == Verdict::Undone)
    icon_undo(icon, 52 * s, white);
  else
    icon_cross(icon, 52 * s, white);

  float y = 160 * s;
  // A long explanation (a pairing code held up at the door) gets smaller
  // words on more lines rather than being cut off.
  const bool wordy = headline.size() > 60;
  y += text_at(ui, headline, w / 2, y, wordy ? 32 : 44, kWhite, w - 60 * s, true, wordy ? 3 : 2).y +
       10 * s;
  if (d.who && d.verdict != Verdict::Admitted) {
    y += text_at(ui, d.who->full_name, w / 2, y, 28, kWhite, w - 60 * s, false, 1).y + 6 * s;
  } else if (d.who) {
    y += text_at(ui, d.who->full_name + (d.who->company.empty() ? "" : " · " + d.who->company),
                 w / 2, y, 24, kWhite, w - 60 * s, false, 1)
             .y +
         6 * s;
  }
  if (d.verdict == Verdict::AlreadyIn && d.had_badge)
    y += text_at(ui, ui.tr("Lost your badge? An organizer can print a new one."), w / 2, y + 4 * s,
                 22, kWhite, w - 60 * s)
             .y +
         8 * s;
  if (d.verdict == Verdict::Admitted && !ui.snap.print_problem.empty())
    y += text_at(ui,
                 ui.message(ui.snap.print_problem) + " — " +
                     ui.tr("your check-in is saved; please see an organizer for your badge"),
                 w / 2, y + 4 * s, 20, kWhite, w - 60 * s, false, 2)
             .y +
         8 * s;
  if (d.verdict == Verdict::Admitted && ui.badge_texture && ui.badge_height > 0) {
    // The badge that is printing, so people know to wait for it.
    const float ph = h * 0.36f, pw = ph * ui.badge_width / ui.badge_height;
    const ImVec2 p0{20 * s, h - ph - 20 * s};
    dl()->AddRectFilled({p0.x - 3 * s, p0.y - 3 * s}, {p0.x + pw + 3 * s, p0.y + ph + 3 * s},
                        IM_COL32(0, 0, 0, 80), 6 * s);
    dl()->AddImage(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(ui.badge_texture)), p0,
                   {p0.x + pw, p0.y + ph});
  }
  if (d.verdict == Verdict::Admitted && d.visits > 1)
    y += text_at(ui, format(ui.tr("Welcome back — meetup number %d for you!"), d.visits), w / 2, y,
                 24, kWhite, w - 60 * s)
             .y;

  const float bw = 220 * s, bh = touch(ui), by = h - bh - 12 * s;
  if (ui.flow.can_undo(ui.now)) {
    if (big_button(ui, "notme", ui.tr("Not me?"), {w / 2 - bw - 10 * s, by}, {bw, bh},
                   IM_COL32(0, 0, 0, 90), 24))
      if (auto c = ui.flow.not_me(ui.now)) ui.post(*c);
    if (big_button(ui, "done", ui.tr("Done"), {w / 2 + 10 * s, by}, {bw, bh}, IM_COL32(0, 0, 0, 90),
                   24))
      ui.flow.back(ui.now);
  } else if (big_button(ui, "done", ui.tr("Done"), {w / 2 - bw / 2, by}, {bw, bh},
                        IM_COL32(0, 0, 0, 90), 24)) {
    ui.flow.back(ui.now);
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Find my name, Confirm
// ---------------------------------------------------------------------------

// Where someone's RSVP stands when it is not a yes (organizers' search).
std::string rsvp_words(const Ui& ui, Rsvp r) {
  switch (r) {
    case Rsvp::Waitlist: return ui.tr("on the waitlist");
    case Rsvp::No: return ui.tr("not coming");
    case Rsvp::Cancelled: return ui.tr("cancelled");
    case Rsvp::Yes: break;
  }
  return {};
}

void draw_find(Ui& ui) {
  const float s = ui.scale, w = ui.width;
  fill_screen(ui, kBackground);
  const float bar = touch(ui);
  if (big_button(ui, "back", ui.tr("Back"), {2 * s, 2 * s}, {w * 0.16f, bar}, kPanel, 20, 4 * s))
    ui.flow.back(ui.now);
  const ImVec2 f0{w * 0.16f + 8 * s, 6 * s}, f1{w - 6 * s, bar - 2 * s};
  dl()->AddRectFilled(f0, f1, IM_COL32(255, 255, 255, 255), 10 * s);
  const std::string shown = ui.flow.query() + ((ui.now / 500) % 2 ? "|" : " ");
  text_at(ui, shown, f0.x + 14 * s, f0.y + (bar - 36 * s) / 2, 26, 0x101318FF, f1.x - f0.x - 28 * s,
          false, 1, false);

  const float kb_top = keyboard(ui);
  const float list_top = bar + 2 * s, row_h = touch(ui);
  const std::size_t rows = static_cast<std::size_t>(std::max(1.0f, (kb_top - list_top) / row_h));
  if (!ui.flow.query_ready()) {
    text_at(ui, ui.tr("Type at least 3 letters of your name"), w / 2, list_top + 16 * s, 22, kSoft,
            w - 40 * s);
  } else if (ui.snap.search) {
    const auto hits = ui.snap.search->find(ui.flow.query(), rows);
    if (hits.empty())
      text_at(ui, ui.tr("No one by that name — try your last name, or ask an organizer"), w / 2,
              list_top + 12 * s, 22, kSoft, w - 40 * s, false, 2);
    float y = list_top;
    for (const SearchHit& hit : hits) {
      const AttendeeView* a = ui.snap.attendee(hit.id);
      if (!a) continue;
      ImGui::SetCursorScreenPos({8 * s, y});
      ImGui::PushID(static_cast<int>(a->id));
      if (ImGui::InvisibleButton("row", {w - 16 * s, row_h})) {
        if (ui.flow.organizer_mode()) {
          if (auto c = ui.flow.check_in_by_hand(a->id, ui.now)) ui.post(*c);
        } else {
          ui.flow.pick(*a, ui.now);
        }
      }
      ImGui::PopID();
      dl()->AddRectFilled({8 * s, y}, {w - 8 * s, y + row_h - 6 * s}, kPanel, 10 * s);
      // Names and companies only: never e-mails, never the whole list.
      const float name_w = (w - 48 * s) * 0.6f, mid = y + (row_h - 6 * s) / 2;
      text_at(ui, a->full_name, 24 * s, mid - 16 * s, 26, kWhite, name_w, true, 1, false, true);
      std::string right = a->company;
      if (ui.flow.organizer_mode()) {  // organizers also see where each person stands
        if (const Presence* p = ui.snap.presence(a->id))
          right = format(ui.tr("in since %s"), local_hhmm(p->at));
        else if (a->rsvp != Rsvp::Yes)
          right = rsvp_words(ui, a->rsvp);
        else
          right = ui.tr("tap to check in");
      }
      text_at(ui, right, 32 * s + name_w, mid - 12 * s, 20, kSoft, w - 56 * s - name_w, false, 1,
              false, true);
      y += row_h;
    }
  }
}

void draw_confirm(Ui& ui) {
  const float s = ui.scale, w = ui.width, h = ui.height;
  fill_screen(ui, kBackground);
  const AttendeeView& a = *ui.flow.picked();
  float y = 24 * s;
  y += text_at(ui, ui.tr("Is this you?"), w / 2, y, 24, kSoft, w - 40 * s).y + 8 * s;
  y += text_at(ui, a.full_name, w / 2, y, 40, kWhite, w - 40 * s, true, 2).y + 4 * s;
  y += text_at(ui, a.company, w / 2, y, 22, kSoft, w - 40 * s).y + 20 * s;
  const auto& choices = ui.flow.choices();
  if (choices.empty()) {
    if (big_button(ui, "yes", ui.tr("That's me"), {w / 2 - 160 * s, y}, {320 * s, 80 * s}, kGreen,
                   28))
      if (auto c = ui.flow.confirm("yes", ui.now)) ui.post(*c);
  } else {
    y += text_at(ui, ui.tr("Which letter does your e-mail address start with?"), w / 2, y, 24,
                 kWhite, w - 40 * s, false, 2)
             .y +
         14 * s;
    const float bw = std::min(120 * s, (w - 80 * s) / 4), gap = 16 * s;
    float x = w / 2 - (bw * 4 + gap * 3) / 2;
    for (const std::string& c : choices) {
      std::string label = c;
      label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
      if (big_button(ui, c.c_str(), label.c_str(), {x, y}, {bw, bw * 0.8f}, kBlue, 40))
        if (auto cmd = ui.flow.confirm(c, ui.now)) ui.post(*cmd);
      x += bw + gap;
    }
    y += bw * 0.8f + 10 * s;
  }
  if (!ui.flow.notice().empty())
    text_at(ui, ui.message(ui.flow.notice()), w / 2, y, 22, 0xFFB4A9FF, w - 40 * s);
  if (ui.flow.walk_in_match()) {
    // Typed as a walk-in: "not me" means a new person of the same name.
    if (big_button(ui, "someone-else", ui.tr("No, I'm someone else"),
                   {w / 2 - 170 * s, h - touch(ui) - 8 * s}, {340 * s, touch(ui)}, kPanel, 22))
      if (auto c = ui.flow.someone_else(ui.now)) ui.post(*c);
  } else if (big_button(ui, "notme", ui.tr("That's not me"),
                        {w / 2 - 150 * s, h - touch(ui) - 8 * s}, {300 * s, touch(ui)}, kPanel,
                        22)) {
    ui.flow.open_find_name(ui.now);
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Walk-in
// ---------------------------------------------------------------------------

void draw_walk_in(Ui& ui) {
  const float s = ui.scale, w = ui.width;
  fill_screen(ui, kBackground);
  const float row = touch(ui), pad = 6 * s;
  const float kb_top = keyboard(ui);
  const WalkInForm& f = ui.flow.walk_in();
  struct FieldView {
    DoorFlow::Field field;
    const char* label;
    const std::string* value;
  };
  const FieldView fields[] = {
      {DoorFlow::Field::FirstName, N_("First name"), &f.first_name},
      {DoorFlow::Field::LastName, N_("Last name (optional)"), &f.last_name},
      {DoorFlow::Field::Company, N_("Company (optional)"), &f.company},
      {DoorFlow::Field::Email, N_("E-mail (optional, never shown)"), &f.email}};
  // Two rows of two fields; the labels sit inside empty fields so every
  // field stays a full-size touch target.
  const float back_w = w * 0.14f;
  if (big_button(ui, "back", ui.tr("Back"), {pad, pad}, {back_w, row - 2 * pad}, kPanel, 20))
    ui.flow.back(ui.now);
  const float col_w = (w - back_w - 4 * pad) / 2;
  for (int i = 0; i < 4; ++i) {
    const float x = back_w + 2 * pad + (i % 2) * (col_w + pad), y = pad + (i / 2) * row;
    const ImVec2 p0{x, y}, p1{x + col_w, y + row - 2 * pad};
    ImGui::SetCursorScreenPos(p0);
    ImGui::PushID(i);
    if (ImGui::InvisibleButton("field", {p1.x - p0.x, p1.y - p0.y})) ui.flow.focus(fields[i].field);
    ImGui::PopID();
    const bool focused = ui.flow.focused() == fields[i].field;
    dl()->AddRectFilled(p0, p1, IM_COL32(255, 255, 255, 255), 8 * s);
    if (focused) dl()->AddRect(p0, p1, IM_COL32(80, 160, 255, 255), 8 * s, 0, 4 * s);
    const bool empty = fields[i].value->empty();
    const std::string shown = empty ? std::string(ui.tr(fields[i].label)) : *fields[i].value;
    text_at(ui, shown + (focused && !empty && (ui.now / 500) % 2 ? "|" : ""), x + 10 * s,
            y + (row - 2 * pad) / 2 - 13 * s, empty ? 17 : 22, empty ? 0x70757FFF : 0x101318FF,
            col_w - 20 * s, false, 1, false);
  }
  const float cy = pad + 2 * row;
  const float consent_w = w * 0.62f;
  if (ui.flow.naming_ticket()) {
    // A genuine ticket bought after the last pull: only the name is asked.
    text_at(ui, ui.tr("Your ticket is fine — please type your name for your badge"), pad, cy, 17,
            kWhite, consent_w - 2 * pad, false, 2, false);
    if (big_button(ui, "submit", ui.tr("Print my badge"), {consent_w + 2 * pad, cy},
                   {w - consent_w - 3 * pad, row - 2 * pad}, kGreen, 22))
      if (auto c = ui.flow.submit_walk_in(ui.now)) ui.post(*c);
    return;
  }
  ImGui::SetCursorScreenPos({pad, cy});
  if (ImGui::InvisibleButton("consent", {consent_w, row - 2 * pad})) {
    WalkInForm nf = f;
    nf.consent = !nf.consent;
    ui.flow.set_walk_in(nf, ui.now);
  }
  const float box = std::min(row - 4 * pad, 40 * s), by = cy + (row - 2 * pad - box) / 2;
  dl()->AddRect({pad + 4 * s, by}, {pad + 4 * s + box, by + box}, IM_COL32(255, 255, 255, 255),
                6 * s, 0, 3 * s);
  if (f.consent)
    icon_check({pad + 4 * s + box / 2, by + box / 2}, box * 0.38f, IM_COL32(255, 255, 255, 255));
  text_at(ui, ui.tr("I agree that my name is kept for this event's attendance list."),
          pad + box + 16 * s, by, 15, kWhite, consent_w - box - 20 * s, false, 2, false);
  if (big_button(ui, "submit", ui.tr("Check me in"), {consent_w + 2 * pad, cy},
                 {w - consent_w - 3 * pad, row - 2 * pad}, kGreen, 22))
    if (auto c = ui.flow.submit_walk_in(ui.now)) ui.post(*c);
  if (!ui.flow.notice().empty())
    text_at(ui, ui.message(ui.flow.notice()), w / 2, std::min(cy + row, kb_top - 24 * s), 16,
            0xFFB4A9FF, w - 40 * s);
}

// ---------------------------------------------------------------------------
// [SECTION] PIN pad
// ---------------------------------------------------------------------------

void draw_pin(Ui& ui) {
  const float s = ui.scale, w = ui.width, h = ui.height;
  fill_screen(ui, kBackground);
  if (big_button(ui, "back", ui.tr("Back"), {16 * s, 124 * s}, {140 * s, touch(ui)}, kPanel, 20))
    ui.flow.close_organizer(ui.now);
  text_at(ui, ui.tr("Organizer PIN"), w / 2, 16 * s, 26, kWhite, w - 300 * s, true);
  std::string dots;
  for (std::size_t i = 0; i < ui.flow.pin_length(); ++i) dots += "● ";
  text_at(ui, dots.empty() ? " " : dots, w / 2, 56 * s, 26, kWhite);
  std::string msg;
  if (ui.flow.pin_locked(ui.now))
    msg = format(ui.tr("Locked — try again at %s"), local_hhmm(ui.flow.pin_locked_until()));
  else if (ui.flow.pin_checking())
    msg = ui.tr("Checking…");
  else
    msg = ui.message(ui.flow.notice());
  if (!ui.pin_problem.empty()) msg = ui.message(ui.pin_problem);
  text_at(ui, msg, w / 2, 92 * s, 18, 0xFFB4A9FF, w - 40 * s);
  static constexpr const char* keys = "123456789C0>";
  const float kw = std::min(110 * s, (h - 124 * s) / 4 * 1.3f),
              kh = std::max(touch(ui), (h - 124 * s) / 4);
  for (int i = 0; i < 12; ++i) {
    const float x = w / 2 - 1.5f * kw + (i % 3) * kw, y = 120 * s + (i / 3) * kh;
    const char k = keys[i];
    const std::string label = k == 'C' ? "⌫" : k == '>' ? "OK" : std::string(1, k);
    if (big_button(ui, label.c_str(), label.c_str(), {x, y}, {kw, kh}, k == '>' ? kGreen : kPanel,
                   28, 4 * s)) {
      if (k == 'C')
        ui.flow.pin_clear(ui.now);
      else if (k != '>')
        ui.flow.pin_digit(k, ui.now);
      else
        ui.flow.pin_submit(ui.now);  // the window verifies it off this thread
    }
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Organizer dashboard
// ---------------------------------------------------------------------------

void tile(Ui& ui, ImVec2 p, ImVec2 size, const std::string& value, const char* label, ImU32 col) {
  dl()->AddRectFilled(p, {p.x + size.x, p.y + size.y}, col, 10 * ui.scale);
  text_at(ui, value, p.x + size.x / 2, p.y + 2 * ui.scale, 26, kWhite, size.x - 8 * ui.scale, true);
  text_at(ui, label, p.x + size.x / 2, p.y + size.y - 22 * ui.scale, 14, kSoft,
          size.x - 8 * ui.scale);
}

// The organizer pages' URL as a QR code (white quiet zone, dark modules) in
// a panel at (x, y) of the given size, with the address and the
// certificate's SHA-256 fingerprint beside it, so a phone's camera opens the
// pages and its certificate warning can be checked against the screen.
// `text` as a QR code in a white square of `side` at (x0, y0), with a
// quiet zone of `quiet` modules. False when it cannot be encoded.
bool draw_qr(const std::string& text, float x0, float y0, float side, float quiet) {
  const QrMatrix qr = qr_matrix(text);
  if (qr.size == 0) return false;
  const float module = side / (qr.size + 2 * quiet);
  dl()->AddRectFilled({x0, y0}, {x0 + side, y0 + side}, IM_COL32(255, 255, 255, 255));
  for (int my = 0; my < qr.size; ++my)
    for (int mx = 0; mx < qr.size; ++mx)
      if (qr.at(mx, my))
        dl()->AddRectFilled({x0 + (mx + quiet) * module, y0 + (my + quiet) * module},
                            {x0 + (mx + quiet + 1) * module, y0 + (my + quiet + 1) * module},
                            IM_COL32(0, 0, 0, 255));
  return true;
}

void draw_web_qr(Ui& ui, float x, float y, float width, float height) {
  const float s = ui.scale;
  dl()->AddRectFilled({x, y}, {x + width, y + height}, kPanel, 10 * s);
  const float side = height - 12 * s;
  const float x0 = x + 6 * s, y0 = y + 6 * s;
  if (!draw_qr(ui.web_url, x0, y0, side, 2)) return;
  const float tx = x0 + side + 8 * s, tw = x + width - tx - 6 * s;
  float ty = y0;
  ty += text_at(ui, ui.tr("Organizer pages on a phone"), tx, ty, 13, kSoft, tw, false, 1, false).y;
  ty += text_at(ui, ui.web_url, tx, ty, 13, kWhite, tw, true, 1, false).y + 4 * s;
  if (ui.web_fingerprint.empty()) return;
  ty += text_at(ui, ui.tr("certificate SHA-256"), tx, ty, 11, kSoft, tw, false, 1, false).y;
  // 32 bytes as four lines of eight ("AB:CD:..."): short enough to read aloud.
  for (std::size_t i = 0; i < ui.web_fingerprint.size(); i += 24)
    ty += text_at(ui, ui.web_fingerprint.substr(i, 23), tx, ty, 11, kWhite, tw, false, 1, false).y;
}

// The headcounts, two by two so the figures stay large on a 7" screen, in
// the left column from `top`; returns their height.
float draw_headcounts(Ui& ui, float top) {
  const float s = ui.scale, w = ui.width;
  const Snapshot& snap = ui.snap;
  const float tw = (w * 0.55f - 16 * s - 8 * s) / 2, th = 58 * s;
  tile(ui, {16 * s, top}, {tw, th}, format("%d / %d", snap.checked_in, snap.rsvp_yes),
       ui.tr("checked in / RSVP"), kGreen);
  tile(ui, {16 * s + tw + 8 * s, top}, {tw, th}, std::to_string(snap.walk_ins), ui.tr("walk-ins"),
       kBlue);
  // In the room now (people who left do not count), amber from 90% of the
  // capacity and red at 100%: the figure the venue's fire-safety limit is about.
  const int cap = snap.event.capacity;
  const std::string room =
      cap ? format("%d / %d", snap.in_room, cap) : std::to_string(snap.in_room);
  const bool full = cap > 0 && snap.in_room >= cap;
  const bool near = cap > 0 && snap.in_room * 10 >= cap * 9;
  // Another door out of reach: its check-ins are missing here until the heal.
  bool doors_apart = false;
  for (const WorkerHealth& wh : ui.health) doors_apart |= wh.counts_may_be_low;
  tile(ui, {16 * s, top + th + 8 * s}, {tw, th}, room,
       full          ? ui.tr("THE ROOM IS FULL")
       : near        ? ui.tr("nearly full (90%)")
       : doors_apart ? ui.tr("in the room — may be low")
                     : ui.tr("in the room / capacity"),
       full   ? kRed
       : near ? kAmber
              : kPanel);
  tile(ui, {16 * s + tw + 8 * s, top + th + 8 * s}, {tw, th},
       std::to_string(snap.no_shows_so_far()), ui.tr("RSVPs not yet here"), kPanel);
  return 2 * th + 8 * s;
}

// Arrivals per 15 minutes in the box c0..c1, the forecast (how much pizza,
// when the room fills) under its title.
void draw_arrivals(Ui& ui, ImVec2 c0, ImVec2 c1) {
  const float s = ui.scale;
  const auto buckets = ui.snap.arrivals_per(15);
  dl()->AddRectFilled(c0, c1, kPanel, 10 * s);
  text_at(ui, ui.tr("Arrivals per 15 minutes"), c0.x + 10 * s, c0.y + 6 * s, 15, kSoft, 0, false, 1,
          false);
  float chart_top = c0.y + 30 * s;
  if (!ui.forecast.empty())
    chart_top += text_at(ui, ui.forecast, c0.x + 10 * s, c0.y + 28 * s, 14, 0xFFC864FF,
                         c1.x - c0.x - 20 * s, false, 2, false)
                     .y +
                 4 * s;
  if (buckets.empty()) return;
  int most = 1;
  for (const auto& b : buckets) most = std::max(most, b.second);
  const std::size_t n = std::min<std::size_t>(buckets.size(), 16);
  const float bw = std::min(48 * s, (c1.x - c0.x - 20 * s) / n), base = c1.y - 24 * s;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& [at, count] = buckets[buckets.size() - n + i];
    const float x = c0.x + 10 * s + i * bw, bh = (base - chart_top) * count / most;
    dl()->AddRectFilled({x + 2 * s, base - bh}, {x + bw - 2 * s, base}, kGreen, 3 * s);
    if (n <= 8 || i % 2 == 0) text_at(ui, local_hhmm(at), x + bw / 2, base + 2 * s, 12, kSoft);
  }
}

// The door's health in plain words, in the left column from y down to
// `bottom`: the printer's and sync's queues, then the workers' own lines.
void draw_health(Ui& ui, float y, float bottom) {
  const float s = ui.scale, w = ui.width;
  const Snapshot& snap = ui.snap;
  const QueueCounts& q = snap.queues;
  const std::uint32_t bad = 0xFFB4A9FF;
  // A worker's line is cut short with an ellipsis; the others wrap.
  const auto line = [&](const std::string& text, std::uint32_t colour, float px, int lines,
                        bool worker = false) {
    y += text_at(ui, text, 16 * s, y, px, colour, w * 0.55f, false, lines, false, worker).y +
         (worker ? 2 : 4) * s;
  };
  std::string printer =
      !snap.print_badges ? ui.tr("No printer set up: no badges print")
      : q.badge_jobs_open == 0
          ? ui.tr("No badges waiting")
          : ui.count(q.badge_jobs_open, "%d badge waiting to print", "%d badges waiting to print");
  if (q.badge_jobs_failed)
    printer += " · " + ui.count(q.badge_jobs_failed, "%d failed", "%d failed");
  if (q.badge_jobs_held)
    printer += " · " + ui.count(q.badge_jobs_held, "%d held back", "%d held back");
  line(printer, kSoft, 16, 1);
  // With a sync worker, its own words say more: which service, since when,
  // what was refused.
  const WorkerHealth* sync_health = nullptr;
  for (const WorkerHealth& wh : ui.health)
    if (wh.kind == WorkerKind::Sync) sync_health = &wh;
  if (sync_health)
    line(ui.message(sync_health->message), sync_health->ok ? kSoft : bad, 15, 2);
  else
    line(!snap.sync_set_up       ? std::string(ui.tr("No sync service set up"))
         : q.outbox_pending == 0 ? std::string(ui.tr("Everything synced"))
                                 : ui.count(q.outbox_pending, "%d check-in waiting to sync",
                                            "%d check-ins waiting to sync"),
         kSoft, 16, 1);
  if (!snap.print_problem.empty()) line(ui.message(snap.print_problem), bad, 16, 2);
  if (!snap.last_error.empty()) line(ui.message(snap.last_error), bad, 16, 2);
  // The workers' own words (sync: last success, what waits, what was refused).
  // Problems first; what does not fit waits for the Door checks screen
  // (backup, among others, is there too).
  for (const bool problems : {true, false})
    for (const WorkerHealth& wh : ui.health) {
      if (wh.kind == WorkerKind::Printer || wh.kind == WorkerKind::Sync || wh.ok == problems)
        continue;  // said above
      if (y + 20 * s > bottom) return;
      line(ui.message(wh.name) + ": " + ui.message(wh.message), wh.ok ? kSoft : bad, 15, 1, true);
    }
}

// People admitted at two doors while the doors could not reach each other
// (counted once): who, where, when, at the top of the right column (x, y,
// width rw) down to at most `end`. Returns where they end.
float draw_double_entries(Ui& ui, float rx, float rw, float y, float end) {
  const float s = ui.scale;
  const Snapshot& snap = ui.snap;
  if (snap.double_entries.empty()) return y;
  y += text_at(ui, ui.tr("Double entries (two doors, counted once)"), rx, y, 16, 0xFFC864FF, rw,
               false, 1, false)
           .y +
       2 * s;
  // Who on one line, where and when below it (a 7" screen cannot fit both
  // on one); as many as leave room for a latest check-in.
  const float doubles_end = y + (end - y) * 0.55f;
  std::size_t shown = 0;
  for (const DoubleEntry& d : snap.double_entries) {
    if (shown == 3 || y > doubles_end) break;
    std::string where;
    for (const Presence& p : d.checkins)
      where += (where.empty() ? "" : " · ") + (p.door.empty() ? std::string("?") : p.door) + " " +
               local_hhmm(p.at);
    y += text_at(ui, d.name, rx + 8 * s, y, 15, kWhite, rw - 8 * s, false, 1, false, true).y;
    y +=
        text_at(ui, where, rx + 20 * s, y, 13, kSoft, rw - 20 * s, false, 2, false, true).y + 4 * s;
    ++shown;
  }
  if (snap.double_entries.size() > shown) {
    const auto more = static_cast<long long>(snap.double_entries.size() - shown);
    y += text_at(
             ui,
             ui.count(more, "%d more: frontdesk doors status", "%d more: frontdesk doors status"),
             rx + 8 * s, y, 14, kSoft, rw - 8 * s, false, 1, false)
             .y +
         2 * s;
  }
  return y + 6 * s;
}

// The latest check-ins with undo and reprint, in the right column from y
// down to `end`.
void draw_latest(Ui& ui, float rx, float rw, float y, float end) {
  const float s = ui.scale, row = touch(ui);
  text_at(ui, ui.tr("Latest check-ins"), rx, y, 16, kSoft, rw, false, 1, false);
  y += 24 * s;
  for (const RecentCheckIn& r : ui.snap.recent) {
    if (y + row > end) break;
    dl()->AddRectFilled({rx, y}, {rx + rw, y + row - 4 * s}, kPanel, 8 * s);
    text_at(ui, local_hhmm(r.at), rx + 8 * s, y + row / 2 - 10 * s, 15, kSoft, 0, false, 1, false);
    text_at(ui, r.name, rx + 60 * s, y + row / 2 - 12 * s, 18, kWhite, rw - 60 * s - 170 * s, false,
            1, false, true);
    ImGui::PushID(r.uuid.c_str());
    if (big_button(ui, "undo", ui.tr("Undo"), {rx + rw - 168 * s, y}, {84 * s, row - 4 * s}, kRed,
                   15, 3 * s))
      ui.post(Undo{r.uuid, 0});
    if (big_button(ui, "reprint", ui.tr("Reprint"), {rx + rw - 84 * s, y}, {84 * s, row - 4 * s},
                   kBlue, 15, 3 * s))
      ui.post(Reprint{r.attendee_id});
    ImGui::PopID();
    y += row;
  }
  if (ui.snap.recent.empty())
    text_at(ui, ui.tr("No one checked in yet"), rx + rw / 2, y + 10 * s, 16, kSoft, rw);
}

// The organizer's buttons at the foot of the left column: search, and the
// door checks with their last verdict.
void draw_organizer_actions(Ui& ui) {
  const float s = ui.scale, w = ui.width, h = ui.height, t = touch(ui);
  const float search_w = (w * 0.55f - 12 * s) * 0.64f;
  if (big_button(ui, "search", ui.tr("Find someone / check in by hand"), {12 * s, h - t - 2 * s},
                 {search_w, t}, kBlue, 18, 3 * s))
    ui.flow.open_organizer_search(ui.now);
  std::string checks = ui.tr("Door checks");
  ImU32 checks_colour = kPanel;
  if (ui.checks_running) {
    checks = ui.tr("Checking…");
  } else if (ui.checks) {
    checks_colour = ui.checks->ready() ? kGreen : kRed;
    checks += std::string(": ") + (ui.checks->ready() ? ui.tr("ready") : ui.tr("problems"));
  }
  if (big_button(ui, "checks", checks.c_str(), {12 * s + search_w, h - t - 2 * s},
                 {w * 0.55f - 12 * s - search_w, t}, checks_colour, 16, 3 * s)) {
    if (!ui.checks_running && ui.run_checks) ui.run_checks();
    ui.flow.open_checks(ui.now);
  }
}

// The dashboard: figures, arrivals and health on the left; double
// entries, the latest check-ins, pairing and the phone's QR code on the right.
void draw_organizer(Ui& ui) {
  const float s = ui.scale, w = ui.width, h = ui.height, t = touch(ui);
  fill_screen(ui, kBackground);
  text_at(ui, ui.snap.event.name + " · " + ui.snap.door, 16 * s, 10 * s, 22, kWhite, w * 0.5f, true,
          1, false);
  if (big_button(ui, "close", ui.tr("Back to the door"), {w - 230 * s, 2 * s}, {226 * s, t}, kBlue,
                 18, 3 * s))
    ui.flow.close_organizer(ui.now);
  if (ui.exit_kiosk && big_button(ui, "exit", ui.tr("Exit kiosk"), {w - 380 * s, 2 * s},
                                  {148 * s, t}, kRed, 18, 3 * s))
    ui.exit_kiosk();

  const float tiles_top = t + 8 * s;
  const float tiles_h = draw_headcounts(ui, tiles_top);
  const ImVec2 c0{16 * s, tiles_top + tiles_h + 8 * s}, c1{w * 0.55f, h - t - 62 * s};
  draw_arrivals(ui, c0, c1);
  draw_health(ui, c1.y + 10 * s, h - t - 4 * s);
  draw_organizer_actions(ui);

  const float rx = w * 0.57f, rw = w - rx - 16 * s;
  // When this kiosk serves the organizer pages, their address as a QR code
  // at the foot of this column; the latest check-ins end above it.
  float list_end = h - 4 * s;
  if (!ui.web_url.empty()) {
    const float qh = std::min(150 * s, h * 0.34f);
    list_end = h - qh - 12 * s;
    draw_web_qr(ui, rx, h - qh - 4 * s, rw, qh);
  }
  // Another door for this event: its pairing code as a large QR code.
  list_end -= t + 2 * s;
  if (big_button(ui, "pair", ui.tr("Pair another door"), {rx, list_end + 2 * s}, {rw, t}, kPanel,
                 16, 3 * s))
    ui.flow.open_pairing(ui.now);
  const float y = draw_double_entries(ui, rx, rw, t + 6 * s, list_end);
  draw_latest(ui, rx, rw, y, list_end);
}

// ---------------------------------------------------------------------------
// [SECTION] Door checks
// ---------------------------------------------------------------------------

// The same checks as `frontdesk doctor`, one row each: a coloured mark,
// what was found, and what to do when it is not right.
void draw_checks(Ui& ui) {
  const float s = ui.scale, w = ui.width, h = ui.height, t = touch(ui);
  fill_screen(ui, kBackground);
  if (big_button(ui, "back", ui.tr("Back"), {2 * s, 2 * s}, {w * 0.16f, t}, kPanel, 20, 4 * s))
    ui.flow.back(ui.now);
  if (!ui.checks_running && ui.run_checks &&
      big_button(ui, "again", ui.tr("Check again"), {w - 200 * s, 2 * s}, {198 * s, t}, kBlue, 18,
                 4 * s))
    ui.run_checks();
  std::string title = ui.tr("Door checks");
  if (ui.checks_running)
    title += " — " + std::string(ui.tr("checking (a few seconds)…"));
  else if (ui.checks)
    title += " — " + std::string(ui.checks->ready() ? ui.tr("the door is ready")
                                                    : ui.tr("the door is NOT ready"));
  text_at(ui, title, w * 0.16f + 16 * s, 14 * s, 20, kWhite, w - w * 0.16f - 230 * s, true, 2,
          false);
  if (!ui.checks) return;
  float y = t + 10 * s;
  // Problems first: on a 7" screen the list may not fit.
  std::vector<const Check*> rows;
  for (CheckStatus want : {CheckStatus::Fail, CheckStatus::Warn, CheckStatus::Ok})
    for (const Check& c : ui.checks->checks)
      if (c.status == want) rows.push_back(&c);
  for (const Check* c : rows) {
    if (y > h - 24 * s) break;
    const ImU32 mark = c->status == CheckStatus::Fail   ? kRed
                       : c->status == CheckStatus::Warn ? kAmber
                                                        : kGreen;
    const float row_h = c->status == CheckStatus::Ok ? 22 * s : 42 * s;
    dl()->AddRectFilled({12 * s, y + 3 * s}, {22 * s, y + row_h - 6 * s}, mark, 3 * s);
    // The doctor's words: in the catalogue's language where it has them.
    text_at(ui, ui.message(c->area) + " · " + ui.message(c->name) + ": " + ui.message(c->summary),
            30 * s, y, 15, kWhite, w - 42 * s, c->status == CheckStatus::Fail, 1, false, true);
    if (c->status != CheckStatus::Ok && !c->fix.empty())
      text_at(ui, "→ " + ui.message(c->fix), 30 * s, y + 19 * s, 13, kSoft, w - 42 * s, false, 1,
              false, true);
    y += row_h;
  }
}

// ---------------------------------------------------------------------------
// [SECTION] Pairing doors
// ---------------------------------------------------------------------------

// From the dashboard: this door's pairing code as a QR code another kiosk's
// camera reads from its organizer screen, or, for a code scanned here, the
// question whether to join that door's event, then how the join went.
void draw_pairing(Ui& ui) {
  const float s = ui.scale, w = ui.width, h = ui.height, t = touch(ui);
  const DoorFlow& flow = ui.flow;
  fill_screen(ui, kBackground);
  const bool settled = flow.joining() || (flow.join_result() && flow.join_result()->first);
  if (!settled &&
      big_button(ui, "back", ui.tr("Back"), {2 * s, 2 * s}, {w * 0.16f, t}, kPanel, 20, 4 * s))
    ui.flow.back(ui.now);
  const std::uint32_t warn = 0xFFB4A9FF;
  if (flow.join_offer().empty()) {
    // This door's code.
    if (!ui.pairing_problem.empty() || ui.pairing_code.empty()) {
      text_at(ui, ui.tr("Pair another door"), w / 2, t + 16 * s, 28, kWhite, w - 40 * s, true);
      text_at(
          ui,
          ui.pairing_problem.empty() ? ui.tr("Making the code…") : ui.message(ui.pairing_problem),
          w / 2, t + 70 * s, 20, ui.pairing_problem.empty() ? kSoft : warn, w - 60 * s, false, 4);
      return;
    }
    // As large as the screen allows: another kiosk's webcam reads it from
    // across a table. A full quiet zone, the white square on the dark ground.
    const float side = std::min(h - 16 * s, w * 0.56f);
    const float x0 = w - side - 8 * s, y0 = (h - side) / 2;
    draw_qr(ui.pairing_code, x0, y0, side, 4);
    const float tx = 16 * s, tw = x0 - 32 * s;
    float y = t + 14 * s;
    y += text_at(ui, ui.tr("Pair another door"), tx, y, 26, kWhite, tw, true, 2, false).y + 10 * s;
    y += text_at(ui, ui.snap.event.name, tx, y, 20, kSoft, tw, false, 2, false).y + 14 * s;
    y += text_at(ui,
                 ui.tr("On the other door: Organizer → scan this code, or run `frontdesk doors "
                       "join` with it"),
                 tx, y, 18, kWhite, tw, false, 5, false)
             .y +
         14 * s;
    text_at(ui, ui.tr("The code carries this event's secret: show it only to your own doors."), tx,
            y, 15, kSoft, tw, false, 4, false);
    return;
  }
  // A scanned code: join that door's event?
  text_at(ui, ui.tr("Join another door's event"), w / 2, t + 12 * s, 26, kWhite, w - 40 * s, true);
  const float y = t + 64 * s, bw = 240 * s, by = h - t - 16 * s;
  if (!ui.join_problem.empty()) {
    text_at(ui, ui.message(ui.join_problem), w / 2, y, 22, warn, w - 60 * s, false, 4);
  } else if (flow.joining()) {
    text_at(ui, ui.tr("Joining… fetching the list and the check-ins from the first door"), w / 2, y,
            22, kWhite, w - 60 * s, false, 3);
  } else if (flow.join_result()) {
    const bool ok = flow.join_result()->first;
    if (ok) icon_check({w / 2, y + 40 * s}, 36 * s, kGreen);
    text_at(ui, ui.message(flow.join_result()->second), w / 2, y + (ok ? 90 * s : 0), 22,
            ok ? kWhite : warn, w - 60 * s, false, 5);
    if (!ok &&
        big_button(ui, "again", ui.tr("Try again"), {w / 2 - bw / 2, by}, {bw, t}, kBlue, 22))
      ui.flow.join(ui.now);
  } else {
    text_at(ui, ui.join_question, w / 2, y, 24, kWhite, w - 60 * s, false, 4);
    if (big_button(ui, "join", ui.tr("Join"), {w / 2 - bw - 10 * s, by}, {bw, t}, kGreen, 24))
      ui.flow.join(ui.now);
    if (big_button(ui, "cancel", ui.tr("Cancel"), {w / 2 + 10 * s, by}, {bw, t}, kPanel, 24))
      ui.flow.back(ui.now);
  }
}

}  // namespace

void draw_screen(Ui& ui) {
  ImGui::SetNextWindowPos({0, 0});
  ImGui::SetNextWindowSize({ui.width, ui.height});
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
  ImGui::Begin("door", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  switch (ui.flow.screen()) {
    case Screen::Ready: draw_ready(ui); break;
    case Screen::Waiting:
      draw_ready(ui);
      text_at(ui, ui.tr("Checking…"), ui.width / 2, ui.height / 2, 30, kWhite);
      break;
    case Screen::Result: draw_result(ui); break;
    case Screen::FindName: draw_find(ui); break;
    case Screen::Confirm: draw_confirm(ui); break;
    case Screen::WalkIn: draw_walk_in(ui); break;
    case Screen::Pin: draw_pin(ui); break;
    case Screen::Organizer: draw_organizer(ui); break;
    case Screen::Checks: draw_checks(ui); break;
    case Screen::Pairing: draw_pairing(ui); break;
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
}

}  // namespace fd
