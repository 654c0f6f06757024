"""The browser half of scripts/browser-test: check, fix, re-check and send, with a screenshot of each step."""
import os
import sys

from selenium import webdriver
from selenium.webdriver.common.by import By

base, token, workspace, out = sys.argv[1:5]
options = webdriver.ChromeOptions()
for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1400"):
    options.add_argument(flag)
options.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)
failures = []


def expect(condition, what):
    if not condition:
        failures.append(what)
        print("browser-test: FAILED:", what, file=sys.stderr)


def shot(name):
    driver.save_screenshot(os.path.join(out, name + ".png"))


try:
    # 1. Check a broken return.
    driver.get(base + "/")
    expect(driver.find_element(By.TAG_NAME, "h1").text == "Check your quarterly return", "the form page")
    shot("1-form")
    driver.find_element(By.ID, "files").send_keys(os.path.abspath("SampleData/invalid/type-error-support.csv"))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    summary = driver.find_element(By.CSS_SELECTOR, ".summary[role=alert]")
    expect("error" in summary.text, "an error summary at the top")
    links = summary.find_elements(By.CSS_SELECTOR, "a")
    expect(len(links) > 0, "the summary links to the problems")
    expect(len(driver.find_elements(By.CSS_SELECTOR, "td.bad")) > 0, "the bad cell is marked on the grid")
    shot("2-problems")
    links[0].click()  # the link moves to the first problem
    expect(driver.current_url.endswith("#p1"), "the summary link goes to the problem")
    shot("3-first-problem")

    # 2. Fix it (the partner's corrected files) and check again.
    driver.get(base + "/")
    files = [os.path.join(workspace, "returns/2025-Q3", f"P001-{t}.csv") for t in ("support", "outcomes", "ripple")]
    driver.find_element(By.ID, "files").send_keys("\n".join(files))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    expect("no errors" in driver.find_element(By.TAG_NAME, "h1").text, "the corrected return has no errors")
    shot("4-no-errors")

    # 3. Send it.
    driver.find_element(By.LINK_TEXT, "Send this return").click()
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.ID, "files").send_keys("\n".join(files))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    expect("Your return has been sent" in driver.page_source, "the receipt")
    expect("R-" in driver.page_source, "the receipt's reference")
    shot("5-receipt")

    # 4. A phone-sized window still shows the form without sideways scrolling.
    driver.set_window_size(390, 844)
    driver.get(base + "/")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    expect(width <= 390, f"the form fits a phone (page width {width})")
    shot("6-phone")
finally:
    driver.quit()

if failures:
    sys.exit(1)
