#!/usr/bin/env python3
"""End to end in a real headless Chromium at a phone's size (360x740).

Runs `frontdesk serve` on loopback over a throwaway store, then, as an
organizer on a phone would: logs in, sees a check-in made by the CLI (another
process on the store) appear live, reprints, undoes it, checks someone in by
hand from the search, and watches the venue page follow the numbers and die
when its link is revoked. Then a German door ([kiosk] language = "de"): its
pages, its answers and its counts (1 badge, 2 badges) in German.
Screenshots go to --shots for people to look at.

Driven through chromedriver with Debian's python3-selenium.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By

FAILURES = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        FAILURES.append(what)


def wait_for(pred, timeout=5.0, step=0.02):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if pred():
                return True
        except Exception:  # the element may be mid-update
            pass
        time.sleep(step)
    return False


class Frontdesk:
    def __init__(self, binary, root, config=None):
        self.binary = binary
        self.env = dict(os.environ, XDG_DATA_HOME=os.path.join(root, "data"),
                        XDG_CONFIG_HOME=os.path.join(root, "config"))
        # A door with a printer (badges collected as PDFs in a folder): a
        # door without one refuses reprints, which the phone then says.
        os.makedirs(os.path.join(root, "config", "frontdesk"), exist_ok=True)
        with open(os.path.join(root, "config", "frontdesk", "frontdesk.toml"), "w") as f:
            f.write(config or '[printer]\nname = "folder:%s"\n' % os.path.join(root, "labels"))

    def run(self, *args, stdin=None):
        p = subprocess.run([self.binary, *args], env=self.env, input=stdin, text=True,
                           capture_output=True, timeout=60)
        return p.returncode, p.stdout + p.stderr

    def serve(self):
        p = subprocess.Popen([self.binary, "serve", "--listen", "127.0.0.1", "--port", "0"],
                             env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
        url = None
        lines = []
        end = time.monotonic() + 30
        while time.monotonic() < end and url is None:
            line = p.stdout.readline()
            if not line:
                break
            lines.append(line)
            m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            if m:
                url = m.group(1)
        if url is None:
            p.kill()
            raise SystemExit("frontdesk serve printed no URL:\n" + "".join(lines))
        return p, url


def phone(a, root):
    opts = webdriver.ChromeOptions()
    opts.binary_location = a.chromium
    for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--user-data-dir=" + os.path.join(root, "chrome")]:
        opts.add_argument(flag)
    opts.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": 360, "height": 740, "pixelRatio": 2.0},
        "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
                     "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"})
    driver = webdriver.Chrome(service=Service(a.chromedriver), options=opts)
    driver.set_page_load_timeout(20)
    return driver


def german_door(a):
    """A door whose [kiosk] language is German: the phone's pages, the
    server's answers and the counts speak it, 1 apart from 2."""
    root = tempfile.mkdtemp(prefix="fd-browser-de-")
    server = driver = None
    try:
        # Badges wait when the printer cannot take them (its folder cannot
        # be made), so the phone counts them: one, then two.
        blocker = os.path.join(root, "not-a-folder")
        with open(blocker, "w") as f:
            f.write("a file where the labels folder would go\n")
        fd = Frontdesk(a.frontdesk, root, '[kiosk]\nlanguage = "de"\n[printer]\nname = "folder:%s"\n'
                       % os.path.join(blocker, "labels"))
        code, out = fd.run("import", a.data, "--event", "Juni-Treffen", "--capacity", "3")
        check(code in (0, 5), "de: import the list")
        check(fd.run("pin", "set", "--yes", stdin="1234\n")[0] == 0, "de: organizer PIN set")
        code, out = fd.run("venue-link")
        m = re.search(r"/venue/([0-9a-f]{64})", out)
        token = m.group(1) if m else ""
        server, url = fd.serve()
        driver = phone(a, root)

        def text(id_):
            return driver.find_element(By.ID, id_).text

        def visible(id_):
            return driver.find_element(By.ID, id_).is_displayed()

        def shot(name):
            path = os.path.join(a.shots, name)
            driver.save_screenshot(path)
            print("     screenshot", path, flush=True)

        driver.get(url)
        check(wait_for(lambda: visible("login")), "de: the login form shows")
        check(driver.execute_script("return document.documentElement.lang") == "de",
              "de: the page says it is German (<html lang>)")
        check("Gib die Orga-PIN oder den Helfer-Code ein." in driver.page_source,
              "de: the login asks in German")
        check(driver.find_element(By.CSS_SELECTOR, "#login-form button").text == "Anmelden",
              "de: the button says Anmelden")
        check(driver.title == "Frontdesk · Orga", "de: the title is German: " + driver.title)
        driver.find_element(By.ID, "pin").send_keys("0000")
        driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
        check(wait_for(lambda: text("login-error") == "Falsche PIN"),
              "de: the door's own answer is German: " + text("login-error"))
        shot("web-de-login.png")
        driver.find_element(By.ID, "pin").send_keys("1234")
        driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
        check(wait_for(lambda: visible("app")), "de: the organizer logs in")
        page = driver.find_element(By.ID, "app").text
        for words in ["eingecheckt / angemeldet", "im Raum / Plätze", "Ankünfte pro 15 Minuten",
                      "Letzte Check-ins", "Noch niemand eingecheckt.", "Jetzt", "Suchen", "Mehr"]:
            check(words in page, "de: the dashboard says " + words)
        check("Latest check-ins" not in page and "Arrivals" not in page,
              "de: no English left on the dashboard")

        # A check-in at the door: the toast of a change from the phone is German too.
        code, out = fd.run("checkin", "A1")
        check(wait_for(lambda: "José García" in text("recent")), "de: José is in the latest check-ins")
        driver.find_element(By.CSS_SELECTOR, ".tabs button[data-tab='more']").click()
        check(wait_for(lambda: "1 Namensschild wartet auf den Druck" in text("health")),
              "de: one badge waiting, in the singular: " + text("health"))
        shot("web-de-one-badge.png")
        driver.find_element(By.CSS_SELECTOR, ".tabs button[data-tab='find']").click()
        driver.find_element(By.ID, "q").send_keys("mull")
        check(wait_for(lambda: "Anna Müller" in text("results")), "de: search finds Anna Müller")
        button = driver.find_element(By.XPATH, "//ul[@id='results']//button[text()='Einchecken']")
        button.click()
        check(wait_for(lambda: text("toast") == "Willkommen, Anna!"),
              "de: the engine's answer is worded in German: " + text("toast"))
        driver.find_element(By.CSS_SELECTOR, ".tabs button[data-tab='more']").click()
        check(wait_for(lambda: "2 Namensschilder warten auf den Druck" in text("health")),
              "de: two badges waiting, in the plural: " + text("health"))
        shot("web-de-two-badges.png")

        driver.get(url + "venue/" + token)
        check(wait_for(lambda: text("v-capacity") == "von 3 erlaubten"),
              "de: the venue page is German: " + text("v-capacity"))
        check("jetzt im Raum" in driver.page_source, "de: the venue page's labels are German")
        shot("web-de-venue.png")
    finally:
        if driver:
            driver.quit()
        if server:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(root, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--frontdesk", required=True)
    ap.add_argument("--data", required=True, help="tests/app/data/small.csv")
    ap.add_argument("--shots", required=True)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    a = ap.parse_args()
    os.makedirs(a.shots, exist_ok=True)
    root = tempfile.mkdtemp(prefix="fd-browser-")
    server = driver = None
    try:
        fd = Frontdesk(a.frontdesk, root)
        code, out = fd.run("import", a.data, "--event", "June Meetup", "--capacity", "3")
        check(code in (0, 5), "import the list: " + out.strip().splitlines()[0])
        check(fd.run("pin", "set", "--yes", stdin="1234\n")[0] == 0, "organizer PIN set")
        check(fd.run("pin", "set", "--volunteer", "--yes", stdin="5678\n")[0] == 0, "volunteer code set")
        code, out = fd.run("venue-link")
        m = re.search(r"/venue/([0-9a-f]{64})", out)
        check(code == 0 and m is not None, "venue-link prints a link with a token")
        token = m.group(1)
        server, url = fd.serve()
        print("serving at", url, flush=True)

        driver = phone(a, root)

        def shot(name):
            path = os.path.join(a.shots, name)
            driver.save_screenshot(path)
            print("     screenshot", path, flush=True)

        def text(id_):
            return driver.find_element(By.ID, id_).text

        def click(xpath):
            # The live view may redraw a list between finding a button and
            # tapping it: find it again, as a person would look again.
            for _ in range(20):
                try:
                    driver.find_element(By.XPATH, xpath).click()
                    return
                except (StaleElementReferenceException, NoSuchElementException):
                    time.sleep(0.1)
            check(False, "tap " + xpath)

        def visible(id_):
            return driver.find_element(By.ID, id_).is_displayed()

        # --- first load: size, no CDN -----------------------------------
        driver.get(url)
        check(wait_for(lambda: visible("login")), "the login form shows")
        entries = driver.execute_script(
            "return performance.getEntriesByType('navigation').concat("
            "performance.getEntriesByType('resource')).map(e => "
            "[e.name, e.transferSize, e.encodedBodySize])")
        total = sum(max(e[1], e[2]) for e in entries)
        foreign = [e[0] for e in entries if not e[0].startswith(url)]
        check(total < 100 * 1024, "first load %d bytes (< 100 KB)" % total)
        check(not foreign, "every asset from the door itself %s" % foreign)
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check(width <= 360, "no sideways scrolling at 360 px (%d)" % width)
        shot("web-login.png")

        driver.find_element(By.ID, "pin").send_keys("0000")
        driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
        check(wait_for(lambda: "Wrong PIN" in text("login-error")), "a wrong PIN is refused")
        driver.find_element(By.ID, "pin").send_keys("1234")
        driver.find_element(By.CSS_SELECTOR, "#login-form button").click()
        check(wait_for(lambda: visible("app")), "the organizer logs in")
        check(wait_for(lambda: text("t-checked") == "0 / 3"), "counts: 0 of 3 RSVPs")
        check(wait_for(lambda: "live" in driver.find_element(By.ID, "live-dot").get_attribute("class")),
              "the live stream is connected")
        shot("web-dashboard.png")

        # --- a check-in at another process appears live -----------------
        code, out = fd.run("checkin", "A1")
        t0 = time.monotonic()
        check(code == 0, "the CLI checks José in: " + out.strip().splitlines()[0])
        seen = wait_for(lambda: text("t-checked") == "1 / 3", timeout=5)
        delay = time.monotonic() - t0
        check(seen and delay < 1.0, "the phone shows it within a second (%.0f ms)" % (delay * 1000))
        check(wait_for(lambda: "José García" in text("recent")), "José is in the latest check-ins")
        shot("web-live-checkin.png")

        # --- reprint, then undo from the phone ---------------------------
        click("//ul[@id='recent']/li[1]//button[text()='Reprint']")
        check(wait_for(lambda: "Reprinting the badge of José García" in text("toast")),
              "reprint queued: " + text("toast"))
        shot("web-reprint.png")
        click("//ul[@id='recent']/li[1]//button[text()='Undo']")
        check(wait_for(lambda: text("t-checked") == "0 / 3"), "undo brings the count back to 0")
        check(wait_for(lambda: "undone" in text("toast")), "undo says so: " + text("toast"))
        shot("web-undo.png")
        code, out = fd.run("stats", "--json")
        check(json.loads(out)["checked_in"] == 0 if code == 0 else False,
              "the store agrees: nobody checked in")

        # --- search and check in by hand ---------------------------------
        driver.find_element(By.CSS_SELECTOR, ".tabs button[data-tab='find']").click()
        driver.find_element(By.ID, "q").send_keys("mull")
        check(wait_for(lambda: "Anna Müller" in text("results")), "search finds Anna Müller")
        click("//ul[@id='results']//button[text()='Check in']")
        check(wait_for(lambda: text("t-checked") == "1 / 3"), "checked in by hand")
        shot("web-find-checkin.png")
        driver.find_element(By.CSS_SELECTOR, ".tabs button[data-tab='now']").click()

        # --- the venue page follows, then the room is full ----------------
        organizer = driver.current_window_handle
        driver.switch_to.new_window("tab")
        venue = url + "venue/" + token
        driver.get(venue)
        venue_tab = driver.current_window_handle
        check(wait_for(lambda: text("v-room") == "1"), "the venue page shows 1 in the room")
        page = driver.page_source
        check("Anna" not in page and "@" not in page.replace("@media", ""),
              "the venue page carries no names")
        shot("web-venue.png")
        fd.run("checkin", "A1")  # José and his +1: 3 of 3
        check(wait_for(lambda: text("v-room") == "3", timeout=5), "the venue page updates to 3")
        check("full" in driver.find_element(By.ID, "venue").get_attribute("class"),
              "the venue page says the room is full")
        shot("web-venue-full.png")
        driver.switch_to.window(organizer)
        check(wait_for(lambda: visible("capacity-banner") and "full" in text("capacity-banner")),
              "the phone warns: the room is full")
        shot("web-capacity-full.png")

        # --- a revoked venue link is dead; the API wants a session ------
        check(fd.run("venue-link", "--revoke")[0] == 0, "venue link revoked")
        driver.switch_to.window(venue_tab)  # the venue's screen, still open
        check(wait_for(lambda: "revoked" in text("v-status")), "the open venue page says revoked")
        check(text("v-room") == "–" and text("v-checked") == "–", "and shows no number any more")
        shot("web-venue-revoked.png")
        driver.get(venue)
        check("not valid" in driver.page_source, "a fresh load of the link is refused")
        try:
            urllib.request.urlopen(url + "api/stats")
            check(False, "the API without a session answers 401")
        except urllib.error.HTTPError as e:
            check(e.code == 401, "the API without a session answers 401")
    finally:
        if driver:
            driver.quit()
        if server:
            server.terminate()
            try:
                check(server.wait(timeout=10) == 0, "frontdesk serve stops cleanly on SIGTERM")
            except subprocess.TimeoutExpired:
                server.kill()
                check(False, "frontdesk serve stops cleanly on SIGTERM")
        shutil.rmtree(root, ignore_errors=True)
    german_door(a)
    if FAILURES:
        print("%d failed" % len(FAILURES))
        return 1
    print("all passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
