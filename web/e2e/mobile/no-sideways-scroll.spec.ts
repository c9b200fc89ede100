import path from "node:path";
import type { Page } from "@playwright/test";
import { proposeTestChangeset } from "../runs/propose-test-changeset.ts";
import { expect, test } from "../testing/fixtures.ts";
import { insertTask, proposeAction } from "../testing/task-helpers.ts";
import { createTestProject, ensureDmThread, insertAgentMessage } from "../testing/test-data.ts";
import { listProjectPages } from "./project-pages.ts";

// A phone (390 px) on every project page, with data on it: nothing makes the page scroll sideways.
// Wide things (tables, code, boards) scroll inside their own box; long ids and addresses wrap.

/** How much the page and its content area scroll sideways, and what sticks out, for the failure message. */
async function sidewaysScroll(page: Page) {
  return page.evaluate(() => {
    const content = document.getElementById("content");
    // Inside a box that scrolls or clips sideways is fine: that box is the one built to scroll.
    const clipped = (el: Element): boolean => {
      for (let node = el.parentElement; node && node !== document.documentElement; node = node.parentElement) {
        if (node === content) return false;
        if (getComputedStyle(node).overflowX !== "visible") return true;
      }
      return false;
    };
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : ""} "${(el.textContent ?? "").trim().slice(0, 30)}" (right ${Math.round(el.getBoundingClientRect().right)} px)`;
    const offenders = Array.from(document.body.querySelectorAll("*"))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(el))
      .slice(0, 6)
      .map(describe);
    return {
      page: document.documentElement.scrollWidth - window.innerWidth,
      content: content ? content.scrollWidth - content.clientWidth : 0,
      offenders,
    };
  });
}

test.describe("no sideways scroll at 390 px", () => {
  test.beforeEach(async ({ executor }) => {
    // The run below is claimed by a fake executor, which a live one would take over.
    await executor.stop();
  });

  test("every project page fits a phone's width", async ({ page, admin, signIn, shot }, testInfo) => {
    test.setTimeout(240_000);
    const project = await createTestProject(admin, { label: "phone-width", labs: { team_room: true, dms: true } });
    // Long unbroken words are what pushes a phone page sideways: titles, ids, addresses.
    const longTitle = "Investigate https://example.com/a/very/long/address/that/never/breaks/on/its/own?with=query&and=more";
    const taskId = await insertTask(admin, project.id, { title: longTitle, status: "in_progress", assignee_agent_key: "web" });
    await proposeAction(admin, project.id, {
      action_type: "create_task",
      params: { title: "Write_the_release_notes_for_version_2026_12_01_with_every_change_listed" },
      proposed_by_agent_key: "lead",
      summary: "Add a task for the release notes",
      task_id: taskId,
    });
    const { runId } = await proposeTestChangeset(admin, {
      projectId: project.id,
      agentKey: "web",
      taskId,
      goal: "Fix the layout at phone width",
      summary: "Wrap long words",
      files: [{ path: "src/features/some/deeply/nested/folder/with-a-long-file-name.module.css", before: "old\n", after: "new\n" }],
    });
    const dm = await ensureDmThread(admin, project.id, "lead");
    await insertAgentMessage(admin, project.id, dm, "lead", `See ${longTitle} and \`${"x".repeat(120)}\`.`);
    await signIn();

    const pages = listProjectPages(path.join(testInfo.config.rootDir, ".."), { taskId, runId, agentKey: "web" });
    expect(pages.length, "the sweep found the project pages").toBeGreaterThan(15);
    await page.setViewportSize({ width: 390, height: 844 });
    const failures: string[] = [];
    for (const at of pages) {
      await page.goto(`/p/${project.slug}/${at}`);
      await expect(page.locator("#content").getByRole("heading").first(), `${at} shows its heading`).toBeVisible();
      await expect(page.getByText(/^Loading/)).toHaveCount(0);
      const result = await sidewaysScroll(page);
      if (result.page > 0 || result.content > 0) {
        failures.push(
          `${at}: page ${result.page} px, content ${result.content} px too wide; sticking out: ${result.offenders.join(", ") || "?"}`,
        );
        await shot(`sideways-${at.replaceAll("/", "-")}-390`);
      }
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
