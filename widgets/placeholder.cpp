// The widgets library grows here (main window, grid, forms, wizard).
namespace structdesk_widgets_placeholder {
int unused = 0;
}
