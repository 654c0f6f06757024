"""The browser half of scripts/browser-test: check, fix, re-check and send, read the feedback and reply, with a
screenshot of each step. Every step waits for the page it leads to (selenium's explicit waits), never for a
fixed time, so that a slow machine makes the test slower, not red."""
import os
import subprocess
import sys

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

base, token, workspace, out, impact = sys.argv[1:6]
options = webdriver.ChromeOptions()
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1400"):
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(driver, 30)
failures = []


def expect(condition, what):
    if not condition:
        failures.append(what)
        print("browser-test: FAILED:", what, file=sys.stderr)


def shot(name):
    driver.save_screenshot(os.path.join(out, name + ".png"))


def open_page(path, until):
    """Opens a page and waits for the element `until` (a CSS selector) on it."""
    driver.get(base + path)
    return wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, until)))


def mark_page():
    """Marks the page now shown, so that `wait_for_new_page` can tell when another has replaced it."""
    driver.execute_script("window.__impactOld = true")


def wait_for_new_page():
    """Waits until the marked page has been replaced by a page that has finished loading. (Watching the old
    page's element go stale is not enough: Chromium may answer with an inspector error mid-navigation.)"""

    def replaced(_):
        try:
            return driver.execute_script("return window.__impactOld !== true && document.readyState === 'complete'")
        except WebDriverException:
            return False

    wait.until(replaced)


def submit(button, until):
    """Clicks a submit button and waits until the page it was on has gone and `until` is on the new one."""
    mark_page()
    button.click()
    wait_for_new_page()
    return wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, until)))


def fits_phone():
    return driver.execute_script("return document.documentElement.scrollWidth") <= 390


try:
    # 1. Check a broken return.
    heading = open_page("/", "h1")
    expect(heading.text == "Check your quarterly return", "the form page")
    shot("1-form")
    driver.find_element(By.ID, "files").send_keys(os.path.abspath("SampleData/invalid/type-error-support.csv"))
    summary = submit(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"), ".summary[role=alert]")
    expect("error" in summary.text, "an error summary at the top")
    expect(driver.title.startswith("Error:"), f"the page title says there is an error ({driver.title})")
    links = summary.find_elements(By.CSS_SELECTOR, "a")
    expect(len(links) > 0, "the summary links to the problems")
    expect(len(driver.find_elements(By.CSS_SELECTOR, "td.bad")) > 0, "the bad cell is marked on the grid")
    expect("Error:" in driver.find_element(By.ID, "main").text, "a problem says Error in words")
    shot("2-problems")

    # 2. The result page on a phone: the page does not scroll sideways, the grid scrolls in its own region,
    # and its cells keep their words whole.
    driver.set_window_size(390, 844)
    wait.until(lambda _: driver.execute_script("return window.innerWidth") <= 400)
    expect(fits_phone(), "the result page fits a phone")
    grid = driver.find_element(By.CSS_SELECTOR, ".grid[role=region]")
    expect(grid.get_attribute("tabindex") == "0", "the grid's region can be scrolled with the keyboard")
    cell = grid.find_element(By.CSS_SELECTOR, "td")
    expect(cell.value_of_css_property("white-space") == "nowrap", "grid cells keep their words whole")
    shot("3-problems-phone")
    driver.set_window_size(1100, 1400)
    links[0].click()  # the link moves to the first problem
    wait.until(lambda _: driver.current_url.endswith("#p1"))
    shot("4-first-problem")

    # 3. Fix it (the partner's corrected files), write the narrative in the boxes, and check again.
    open_page("/", "#files")
    files = [os.path.join(workspace, "returns/2025-Q3", f"P001-{t}.csv") for t in ("support", "outcomes", "ripple")]
    driver.find_element(By.ID, "files").send_keys("\n".join(files))
    driver.find_element(By.ID, "highlights").send_keys("Typed in the browser: the new group is full.")
    heading = submit(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"), "h1")
    expect("no errors" in heading.text, "the corrected return has no errors")
    expect("narrative (typed on the portal).csv" in driver.page_source, "the typed narrative is checked as a file")
    shot("5-no-errors")

    # 4. Send it, with a wrong token first: the files are kept, so the token alone sends them.
    mark_page()
    driver.find_element(By.LINK_TEXT, "Send this return").click()
    wait_for_new_page()
    wait.until(ready.presence_of_element_located((By.ID, "token")))
    driver.find_element(By.ID, "token").send_keys("not-the-token")
    driver.find_element(By.ID, "files").send_keys("\n".join(files))
    driver.find_element(By.ID, "highlights").send_keys("Typed in the browser: the new group is full.")
    summary = submit(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"), ".summary[role=alert]")
    expect("Your files are kept" in summary.text, "a wrong token keeps the files")
    expect("Typed in the browser" in driver.find_element(By.ID, "highlights").get_attribute("value"), "and the narrative")
    shot("6-wrong-token")
    driver.find_element(By.ID, "token").send_keys(token)
    submit(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"), ".summary.ok")
    expect("Your return has been sent" in driver.page_source, "the receipt")
    expect("R-" in driver.page_source, "the receipt's reference")
    expect("What happens next" in driver.page_source, "the receipt says what happens next")
    shot("7-receipt")

    # 5. The impact lead runs the quarter; the partner reads its feedback and replies.
    subprocess.run(
        [impact, "run", "--workspace", workspace, "--quarter", "2025-Q3", "--out", os.path.join(workspace, "out"), "--quiet"],
        check=True)
    open_page("/feedback", "#token").send_keys(token)
    submit(driver.find_element(By.CSS_SELECTOR, "form button[type=submit]"), "ul.quarters a")
    shot("8-feedback-list")
    mark_page()
    driver.find_element(By.CSS_SELECTOR, "ul.quarters a").click()
    wait_for_new_page()
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "form.reply textarea")))
    expect("feedback on the 2025-Q3 return" in driver.find_element(By.TAG_NAME, "h1").text, "the feedback page")
    expect("Typed in the browser" in driver.page_source, "the feedback shows the narrative typed on the portal")
    shot("9-feedback")
    reply = driver.find_element(By.CSS_SELECTOR, "form.reply textarea")
    reply.send_keys("Thank you: we will bring the figures to the review meeting.")
    form = reply.find_element(By.XPATH, "./..")
    submit(form.find_element(By.CSS_SELECTOR, "button[type=submit]"), ".summary.ok")
    expect("Your reply was sent" in driver.page_source, "the reply is confirmed")
    expect("we will bring the figures" in driver.page_source, "the reply shows under its section")
    shot("10-replied")

    # 6. A phone-sized window still shows the form without sideways scrolling.
    driver.set_window_size(390, 844)
    open_page("/", "h1")
    expect(fits_phone(), "the form fits a phone")
    shot("11-phone")
finally:
    driver.quit()

if failures:
    sys.exit(1)
