// The toolbar button opens the side panel (sidePanel.open() itself needs a user gesture).
chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true }).catch(console.error);
