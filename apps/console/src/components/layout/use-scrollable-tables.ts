import { useEffect, type RefObject } from 'react';

/**
 * On a narrow screen a wide table scrolls sideways inside itself (styles.css). One with no link or
 * button in it could then be scrolled only with a mouse or a finger, so while it overflows it takes
 * keyboard focus (WCAG 2.1.1; axe's scrollable-region-focusable). Page components keep writing
 * plain tables: this watches the frame's main area for them.
 */
export function useScrollableTables(container: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const root = container.current;
    if (!root) return;
    const mark = () => {
      for (const table of root.querySelectorAll('table')) {
        const overflows = table.scrollWidth > table.clientWidth + 1;
        if (overflows && !table.hasAttribute('tabindex')) table.tabIndex = 0;
        if (!overflows && table.getAttribute('tabindex') === '0') table.removeAttribute('tabindex');
      }
    };
    mark();
    const mutations = new MutationObserver(mark);
    mutations.observe(root, { childList: true, subtree: true, characterData: true });
    window.addEventListener('resize', mark);
    return () => {
      mutations.disconnect();
      window.removeEventListener('resize', mark);
    };
  }, [container]);
}
